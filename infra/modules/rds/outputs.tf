output "endpoints" {
  description = "host:port of each service's database."
  value       = { for k, m in module.db : k => m.db_instance_endpoint }
}

output "master_user_secret_arns" {
  description = "Secrets Manager secrets (managed by RDS) holding each master password."
  value       = { for k, m in module.db : k => m.db_instance_master_user_secret_arn }
}

output "identifiers" {
  value = { for k, m in module.db : k => m.db_instance_identifier }
}
