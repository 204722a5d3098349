# IAM roles for service accounts: one role per app, trusted only by its own Kubernetes service
# account (namespace/name), with the least privilege it needs:
#   driver: the location archive table (and its index) only;
#   user:   s3 prefixes users/ and drivers/ (avatars, licences, IDs, driver documents);
#   trip:   s3 prefix receipts/;
#   auth, gateway: no AWS access (a role without policies, so nothing falls back to the node role).
locals {
  bucket_arn = var.bucket_arn
  s3_prefixes = {
    user = ["users/*", "drivers/*"]
    trip = ["receipts/*"]
  }
}

data "aws_iam_policy_document" "driver" {
  statement {
    sid = "LocationArchive"
    actions = [
      "dynamodb:PutItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:DescribeTable",
    ]
    resources = [var.dynamodb_table_arn, "${var.dynamodb_table_arn}/index/*"]
  }
}

data "aws_iam_policy_document" "objects" {
  for_each = local.s3_prefixes
  statement {
    sid       = "OwnPrefixes"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = [for p in each.value : "${local.bucket_arn}/${p}"]
  }
  statement {
    sid       = "ListOwnPrefixes"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = each.value
    }
  }
  statement {
    sid       = "BucketKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

module "role" {
  source   = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version  = "~> 5.44"
  for_each = toset(["gateway", "auth", "user", "driver", "trip"])

  role_name = "${var.name}-${each.key}"

  oidc_providers = {
    main = {
      provider_arn               = var.oidc_provider_arn
      namespace_service_accounts = ["${var.namespace}:${each.key}"]
    }
  }

  role_policy_arns = merge(
    each.key == "driver" ? { archive = aws_iam_policy.driver.arn } : {},
    contains(keys(local.s3_prefixes), each.key) ? { objects = aws_iam_policy.objects[each.key].arn } : {},
  )

  tags = var.tags
}

resource "aws_iam_policy" "driver" {
  name   = "${var.name}-driver-location-archive"
  policy = data.aws_iam_policy_document.driver.json
  tags   = var.tags
}

resource "aws_iam_policy" "objects" {
  for_each = local.s3_prefixes
  name     = "${var.name}-${each.key}-objects"
  policy   = data.aws_iam_policy_document.objects[each.key].json
  tags     = var.tags
}
