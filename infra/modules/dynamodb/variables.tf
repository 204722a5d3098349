variable "table_name" {
  type    = string
  default = "uitgo-locations"
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}
