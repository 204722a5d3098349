# What k8s/overlays/<env> needs (docs/deploy.md).
output "cluster_name" {
  value = module.eks.cluster_name
}

output "kafka_brokers" {
  description = "KAFKA_BROKERS (TLS listener; KAFKA_SSL=true)"
  value       = module.msk.bootstrap_brokers_tls
}

output "redis_cluster_nodes" {
  description = "REDIS_CLUSTER_NODES (transit encryption; REDIS_TLS=true)"
  value       = "${module.redis.configuration_endpoint}:6379"
}

output "s3_bucket" {
  description = "S3_BUCKET"
  value       = module.s3.bucket_name
}

output "dynamodb_table" {
  description = "DYNAMODB_TABLE"
  value       = module.dynamodb.table_name
}

output "database_endpoints" {
  value = module.rds.endpoints
}

output "rds_identifiers" {
  description = "For aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier"
  value       = module.rds.identifiers
}

output "irsa_role_arns" {
  value = module.irsa.role_arns
}

output "external_secrets_role_arn" {
  value = module.secrets.external_secrets_role_arn
}

output "secret_names" {
  value = module.secrets.secret_names
}
