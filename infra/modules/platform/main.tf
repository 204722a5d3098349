# One UIT-Go environment: network, EKS, data stores, IAM and secrets.
locals {
  name = "uitgo-${var.environment}"
  tags = merge(var.tags, { Project = "uitgo", Environment = var.environment, ManagedBy = "terraform" })
}

module "network" {
  source             = "../network"
  name               = local.name
  cidr               = var.vpc_cidr
  azs                = var.azs
  single_nat_gateway = var.environment != "prod"
  tags               = local.tags
}

module "eks" {
  source             = "../eks"
  name               = local.name
  kubernetes_version = var.kubernetes_version
  vpc_id             = module.network.vpc_id
  private_subnet_ids = module.network.private_subnet_ids
  instance_types     = var.node_instance_types
  min_size           = var.node_min_size
  max_size           = var.node_max_size
  desired_size       = var.node_min_size
  tags               = local.tags
}

module "rds" {
  source                   = "../rds"
  name                     = local.name
  vpc_id                   = module.network.vpc_id
  db_subnet_group_name     = module.network.database_subnet_group_name
  client_security_group_id = module.eks.node_security_group_id
  instance_class           = var.db_instance_class
  multi_az                 = var.environment == "prod"
  backup_retention_days    = var.backup_retention_days
  deletion_protection      = var.environment != "dev"
  tags                     = local.tags
}

module "redis" {
  source                   = "../redis"
  name                     = local.name
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.database_subnet_ids
  client_security_group_id = module.eks.node_security_group_id
  node_type                = var.redis_node_type
  shards                   = var.redis_shards
  replicas_per_shard       = var.environment == "prod" ? 1 : 0
  transit_encryption_mode  = var.redis_transit_encryption_mode
  tags                     = local.tags
}

module "dynamodb" {
  source              = "../dynamodb"
  table_name          = var.environment == "prod" ? "uitgo-locations" : "uitgo-locations-${var.environment}"
  deletion_protection = var.environment != "dev"
  tags                = local.tags
}

module "s3" {
  source       = "../s3"
  bucket_name  = "${local.name}-objects"
  cors_origins = var.cors_origins
  tags         = local.tags
}

module "msk" {
  source                   = "../msk"
  name                     = local.name
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.database_subnet_ids
  client_security_group_id = module.eks.node_security_group_id
  instance_type            = var.msk_instance_type
  client_broker_encryption = var.msk_client_broker_encryption
  tags                     = local.tags
}

module "irsa" {
  source             = "../irsa"
  name               = local.name
  namespace          = var.namespace
  oidc_provider_arn  = module.eks.oidc_provider_arn
  bucket_arn         = module.s3.bucket_arn
  kms_key_arn        = module.s3.kms_key_arn
  dynamodb_table_arn = module.dynamodb.table_arn
  tags               = local.tags
}

module "secrets" {
  source             = "../secrets"
  name               = local.name
  environment        = var.environment
  database_endpoints = module.rds.endpoints
  oidc_provider_arn  = module.eks.oidc_provider_arn
  tags               = local.tags
}
