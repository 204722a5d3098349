output "role_arns" {
  description = "eks.amazonaws.com/role-arn of each service account."
  value       = { for k, m in module.role : k => m.iam_role_arn }
}
