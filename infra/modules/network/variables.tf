variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "azs" {
  type        = list(string)
  description = "Three availability zones."
  validation {
    condition     = length(var.azs) == 3
    error_message = "UIT-Go runs over exactly three availability zones."
  }
}

variable "single_nat_gateway" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = {}
}
