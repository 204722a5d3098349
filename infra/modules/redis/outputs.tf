output "configuration_endpoint" {
  description = "REDIS_CLUSTER_NODES=<this>:6379"
  value       = aws_elasticache_replication_group.this.configuration_endpoint_address
}

output "replication_group_id" {
  value = aws_elasticache_replication_group.this.id
}
