# One PostgreSQL instance per service (database per service): encrypted, Multi-AZ where asked,
# automated daily snapshots kept `backup_retention_days` (which is also the point-in-time
# recovery window), deletion protection and a final snapshot.
resource "aws_security_group" "db" {
  for_each    = toset(var.services)
  name        = "${var.name}-${each.key}-db"
  description = "PostgreSQL of the ${each.key} service: only from the EKS nodes"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "db_from_nodes" {
  for_each                     = toset(var.services)
  security_group_id            = aws_security_group.db[each.key].id
  referenced_security_group_id = var.client_security_group_id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

module "db" {
  source   = "terraform-aws-modules/rds/aws"
  version  = "~> 6.10"
  for_each = toset(var.services)

  identifier = "${var.name}-${each.key}"

  engine               = "postgres"
  engine_version       = var.engine_version
  family               = "postgres16"
  major_engine_version = "16"
  instance_class       = var.instance_class

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.allocated_storage * 5
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = "uitgo_${each.key}"
  username = "uitgo_${each.key}"
  port     = 5432

  manage_master_user_password = true

  multi_az               = var.multi_az
  db_subnet_group_name   = var.db_subnet_group_name
  vpc_security_group_ids = [aws_security_group.db[each.key].id]

  backup_retention_period          = var.backup_retention_days
  backup_window                    = "18:00-19:00"
  maintenance_window               = "Sun:19:30-Sun:20:30"
  copy_tags_to_snapshot            = true
  deletion_protection              = var.deletion_protection
  skip_final_snapshot              = false
  final_snapshot_identifier_prefix = "${var.name}-${each.key}-final"

  performance_insights_enabled = true
  monitoring_interval          = 60
  create_monitoring_role       = true

  parameters = [
    { name = "rds.force_ssl", value = "1" },
    { name = "log_min_duration_statement", value = "500" },
  ]

  tags = merge(var.tags, { "uitgo.io/service" = each.key })
}
