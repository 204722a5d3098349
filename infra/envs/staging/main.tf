terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "uitgo", Environment = "staging" }
  }
}

variable "region" {
  type    = string
  default = "ap-southeast-1"
}

module "platform" {
  source = "../../modules/platform"

  environment           = "staging"
  namespace             = "uitgo-staging"
  vpc_cidr              = "10.20.0.0/16"
  azs                   = ["${var.region}a", "${var.region}b", "${var.region}c"]
  node_instance_types   = ["m6i.large"]
  node_min_size         = 3
  node_max_size         = 6
  db_instance_class     = "db.t4g.medium"
  backup_retention_days = 7
  redis_node_type       = "cache.t4g.medium"
  redis_shards          = 2
  msk_instance_type     = "kafka.t3.small"
}

output "platform" {
  value = {
    cluster_name              = module.platform.cluster_name
    kafka_brokers             = module.platform.kafka_brokers
    redis_cluster_nodes       = module.platform.redis_cluster_nodes
    s3_bucket                 = module.platform.s3_bucket
    dynamodb_table            = module.platform.dynamodb_table
    database_endpoints        = module.platform.database_endpoints
    rds_identifiers           = module.platform.rds_identifiers
    irsa_role_arns            = module.platform.irsa_role_arns
    external_secrets_role_arn = module.platform.external_secrets_role_arn
    secret_names              = module.platform.secret_names
  }
}
