variable "name" {
  type = string
}

variable "kubernetes_version" {
  type    = string
  default = "1.32"
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "public_endpoint" {
  type    = bool
  default = true
}

variable "instance_types" {
  type    = list(string)
  default = ["m6i.large"]
}

variable "capacity_type" {
  type    = string
  default = "ON_DEMAND"
}

variable "min_size" {
  type    = number
  default = 3
}

variable "max_size" {
  type    = number
  default = 9
}

variable "desired_size" {
  type    = number
  default = 3
}

variable "tags" {
  type    = map(string)
  default = {}
}
