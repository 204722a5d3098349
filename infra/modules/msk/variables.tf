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

variable "kafka_version" {
  type    = string
  default = "3.7.x"
}

variable "instance_type" {
  type    = string
  default = "kafka.m7g.large"
}

variable "volume_size" {
  type    = number
  default = 100
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "client_broker_encryption" {
  description = "TLS for a new cluster (clients on 9094 only). An existing cluster moves through TLS_PLAINTEXT (9092 and 9094) while the apps switch to KAFKA_SSL=true (docs/deploy.md)."
  type        = string
  default     = "TLS"
  validation {
    condition     = contains(["TLS", "TLS_PLAINTEXT"], var.client_broker_encryption)
    error_message = "client_broker_encryption is TLS or TLS_PLAINTEXT."
  }
}
