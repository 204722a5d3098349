# One Secrets Manager secret per service, uitgo/<env>/<service>, read by the External Secrets
# Operator into the Secret <service>-secrets (k8s/base/<service>/externalsecret.yaml).
# Terraform creates the secrets and a generated key-encryption secret for auth; the database
# URLs (with the RDS-managed master password, or better a per-service role) are written by the
# operator: aws secretsmanager put-secret-value (docs/deploy.md). Values are never in state
# except the generated AUTH_KEY_ENCRYPTION_SECRET.
resource "aws_kms_key" "secrets" {
  description         = "${var.name} application secrets"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_secretsmanager_secret" "service" {
  for_each                = toset(var.services)
  name                    = "uitgo/${var.environment}/${each.key}"
  description             = "UIT-Go ${each.key} service: ${upper(each.key)}_DATABASE_URL and its other secrets"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 7
  tags                    = var.tags
}

resource "random_password" "auth_key_encryption" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret_version" "auth_initial" {
  secret_id = aws_secretsmanager_secret.service["auth"].id
  secret_string = jsonencode({
    AUTH_KEY_ENCRYPTION_SECRET = random_password.auth_key_encryption.result
    AUTH_DATABASE_URL          = "postgres://uitgo_auth:SET-ME@${var.database_endpoints["auth"]}/uitgo_auth?sslmode=require"
  })
  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret_version" "initial" {
  for_each  = toset([for s in var.services : s if s != "auth"])
  secret_id = aws_secretsmanager_secret.service[each.key].id
  secret_string = jsonencode({
    "${upper(each.key)}_DATABASE_URL" = "postgres://uitgo_${each.key}:SET-ME@${var.database_endpoints[each.key]}/uitgo_${each.key}?sslmode=require"
  })
  lifecycle {
    ignore_changes = [secret_string]
  }
}

# The External Secrets Operator's role: read these secrets only.
data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for s in aws_secretsmanager_secret.service : s.arn]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.secrets.arn]
  }
}

resource "aws_iam_policy" "read" {
  name   = "${var.name}-external-secrets-read"
  policy = data.aws_iam_policy_document.read.json
  tags   = var.tags
}

module "external_secrets_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.44"

  role_name        = "${var.name}-external-secrets"
  role_policy_arns = { read = aws_iam_policy.read.arn }
  oidc_providers = {
    main = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["external-secrets:external-secrets"]
    }
  }
  tags = var.tags
}
