output "table_name" {
  value = module.table.dynamodb_table_id
}

output "table_arn" {
  value = module.table.dynamodb_table_arn
}
