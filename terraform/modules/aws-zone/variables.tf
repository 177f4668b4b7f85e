variable "zone" {
  description = "The qair zone this host serves (created on the master with --provider external)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.zone))
    error_message = "A zone name starts with a lower-case letter, uses only lower-case letters, digits and '-', and is at most 31 characters."
  }
}

variable "user_data" {
  description = "The host's first boot: the user-data file of `qair zone host-setup ZONE --out DIR`. It holds the single-use enrollment token (10 minutes)."
  type        = string
  sensitive   = true
  validation {
    condition     = startswith(var.user_data, "#cloud-config\n")
    error_message = "user_data must be the cloud-init user-data written by `qair zone host-setup` (it starts with #cloud-config)."
  }
}

variable "allow_from" {
  description = "The IPv4 range the qair master connects from, e.g. 203.0.113.7/32: the agent port is opened to it and nothing else."
  type        = string
  validation {
    condition     = can(cidrhost(var.allow_from, 0)) && !strcontains(var.allow_from, ":")
    error_message = "allow_from must be an IPv4 range ADDRESS/BITS, e.g. 203.0.113.7/32."
  }
}

variable "agent_port" {
  description = "The zone agent's port (the zone's agent-port option on the master)."
  type        = number
  default     = 7444
  validation {
    condition     = var.agent_port >= 1 && var.agent_port <= 65535 && floor(var.agent_port) == var.agent_port
    error_message = "agent_port must be a TCP port, 1 to 65535."
  }
}

variable "instance_type" {
  description = "EC2 instance type."
  type        = string
  default     = "t3.large"
}

variable "subnet_id" {
  description = "Subnet to launch in; null for the region's default VPC."
  type        = string
  default     = null
}

variable "associate_public_ip" {
  description = "Give the host a public address (false when the master reaches the subnet privately)."
  type        = bool
  default     = true
}

variable "ami" {
  description = "Image id; null for the newest Debian 12 amd64 image of the Debian project (owner 136693071363)."
  type        = string
  default     = null
}

variable "volume_size" {
  description = "Root volume size in GiB (gp3, encrypted)."
  type        = number
  default     = 30
}

variable "kms_key_id" {
  description = "KMS key for the root volume; null for the account's default EBS key."
  type        = string
  default     = null
}

variable "tags" {
  description = "More tags for every resource."
  type        = map(string)
  default     = {}
}
