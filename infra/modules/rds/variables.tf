variable "name" {
  type = string
}

variable "services" {
  type    = list(string)
  default = ["auth", "user", "driver", "trip"]
}

variable "vpc_id" {
  type = string
}

variable "db_subnet_group_name" {
  type = string
}

variable "client_security_group_id" {
  type        = string
  description = "Security group of the EKS nodes."
}

variable "engine_version" {
  type    = string
  default = "16.4"
}

variable "instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "allocated_storage" {
  type    = number
  default = 20
}

variable "multi_az" {
  type    = bool
  default = true
}

variable "backup_retention_days" {
  type        = number
  default     = 14
  description = "Daily automated snapshots kept this many days; also the point-in-time recovery window."
  validation {
    condition     = var.backup_retention_days >= 1
    error_message = "Point-in-time recovery needs at least one day of automated backups."
  }
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}
