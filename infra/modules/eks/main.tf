# EKS with managed node groups spread over the three private subnets, IRSA (OIDC provider)
# enabled, secrets envelope-encrypted with KMS, control-plane logs on.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.24"

  cluster_name    = var.name
  cluster_version = var.kubernetes_version

  vpc_id     = var.vpc_id
  subnet_ids = var.private_subnet_ids

  cluster_endpoint_public_access           = var.public_endpoint
  enable_irsa                              = true
  enable_cluster_creator_admin_permissions = true
  cluster_enabled_log_types                = ["api", "audit", "authenticator"]

  cluster_addons = {
    coredns                = {}
    kube-proxy             = {}
    vpc-cni                = { before_compute = true, configuration_values = jsonencode({ enableNetworkPolicy = "true" }) }
    eks-pod-identity-agent = {}
  }

  eks_managed_node_groups = {
    apps = {
      instance_types = var.instance_types
      capacity_type  = var.capacity_type
      min_size       = var.min_size
      max_size       = var.max_size
      desired_size   = var.desired_size
      labels         = { "uitgo.io/pool" = "apps" }
    }
  }

  tags = var.tags
}
