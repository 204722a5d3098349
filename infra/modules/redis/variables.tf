variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "client_security_group_id" {
  type = string
}

variable "node_type" {
  type    = string
  default = "cache.t4g.medium"
}

variable "shards" {
  type    = number
  default = 3
}

variable "replicas_per_shard" {
  type    = number
  default = 1
}

variable "transit_encryption_mode" {
  description = "required for a new cluster. An existing plaintext one moves in two applies: preferred (TLS and plaintext both accepted) while the apps switch to REDIS_TLS=true, then required (docs/deploy.md)."
  type        = string
  default     = "required"
  validation {
    condition     = contains(["preferred", "required"], var.transit_encryption_mode)
    error_message = "transit_encryption_mode is preferred or required."
  }
}

variable "snapshot_retention_days" {
  type    = number
  default = 7
}

variable "tags" {
  type    = map(string)
  default = {}
}
