output "secret_names" {
  value = { for k, s in aws_secretsmanager_secret.service : k => s.name }
}

output "external_secrets_role_arn" {
  value = module.external_secrets_role.iam_role_arn
}
