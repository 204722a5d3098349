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
