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
    tags = { Project = "uitgo", Environment = "prod" }
  }
}

variable "region" {
  type    = string
  default = "ap-southeast-1"
}

module "platform" {
  source = "../../modules/platform"

  environment           = "prod"
  namespace             = "uitgo"
  vpc_cidr              = "10.30.0.0/16"
  azs                   = ["${var.region}a", "${var.region}b", "${var.region}c"]
  node_instance_types   = ["m6i.xlarge"]
  node_min_size         = 3
  node_max_size         = 12
  db_instance_class     = "db.r6g.large"
  backup_retention_days = 35
  redis_node_type       = "cache.r7g.large"
  redis_shards          = 3
  msk_instance_type     = "kafka.m7g.large"
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
