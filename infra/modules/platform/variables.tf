variable "environment" {
  type = string
  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment is dev, staging or prod."
  }
}

variable "namespace" {
  type        = string
  description = "Namespace of the apps in k8s/overlays/<environment>."
}

variable "vpc_cidr" {
  type = string
}

variable "azs" {
  type = list(string)
}

variable "kubernetes_version" {
  type    = string
  default = "1.32"
}

variable "node_instance_types" {
  type    = list(string)
  default = ["m6i.large"]
}

variable "node_min_size" {
  type    = number
  default = 3
}

variable "node_max_size" {
  type    = number
  default = 9
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "backup_retention_days" {
  type    = number
  default = 14
}

variable "redis_node_type" {
  type    = string
  default = "cache.t4g.medium"
}

variable "redis_shards" {
  type    = number
  default = 3
}

variable "msk_instance_type" {
  type    = string
  default = "kafka.t3.small"
}

variable "cors_origins" {
  type    = list(string)
  default = ["https://*.uitgo.example"]
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "redis_transit_encryption_mode" {
  description = "ElastiCache in-transit encryption: required, or preferred while an existing plaintext cluster is migrated (docs/deploy.md)."
  type        = string
  default     = "required"
}

variable "msk_client_broker_encryption" {
  description = "MSK client listeners: TLS, or TLS_PLAINTEXT while an existing cluster is migrated (docs/deploy.md)."
  type        = string
  default     = "TLS"
}
