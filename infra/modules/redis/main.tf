# ElastiCache Redis in cluster mode (shards x replicas), Multi-AZ with automatic failover,
# encrypted at rest and in transit (TLS required), daily snapshots. The apps reach it through
# the configuration endpoint (REDIS_CLUSTER_NODES=<endpoint>:6379, REDIS_TLS=true); traffic is
# confined to the EKS nodes' security group.
resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "ElastiCache Redis: only from the EKS nodes"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_nodes" {
  security_group_id            = aws_security_group.redis.id
  referenced_security_group_id = var.client_security_group_id
  from_port                    = 6379
  to_port                      = 6379
  ip_protocol                  = "tcp"
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_elasticache_parameter_group" "cluster" {
  name   = "${var.name}-cluster"
  family = "redis7"
  parameter {
    name  = "cluster-enabled"
    value = "yes"
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "UIT-Go live positions (geo index), trip read model, idempotency and rate limits"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.cluster.name

  num_node_groups         = var.shards
  replicas_per_node_group = var.replicas_per_shard

  automatic_failover_enabled = true
  multi_az_enabled           = var.replicas_per_shard > 0

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.redis.id]

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  transit_encryption_mode    = var.transit_encryption_mode

  snapshot_retention_limit = var.snapshot_retention_days
  snapshot_window          = "17:00-18:00"
  maintenance_window       = "sun:20:00-sun:21:00"

  apply_immediately = false
  tags              = var.tags
}
