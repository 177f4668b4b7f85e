variable "zone" {
  description = "The qair zone this host serves (created on the master with --provider external)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.zone))
    error_message = "A zone name starts with a lower-case letter, uses only lower-case letters, digits and '-', and is at most 31 characters."
  }
}

variable "user_data" {
  description = "The user-data file of `qair zone host-setup ZONE --out DIR`: it holds the single-use enrollment token (10 minutes)."
  type        = string
  sensitive   = true
  validation {
    condition     = startswith(var.user_data, "#cloud-config\n")
    error_message = "user_data must be the cloud-init user-data written by `qair zone host-setup` (it starts with #cloud-config)."
  }
}

variable "startup_script" {
  description = "The startup-script file of `qair zone host-setup`: the same setup for images that run startup scripts rather than cloud-init (Debian's GCE images)."
  type        = string
  sensitive   = true
  validation {
    condition     = startswith(var.startup_script, "#!/bin/sh\n")
    error_message = "startup_script must be the startup-script written by `qair zone host-setup` (it starts with #!/bin/sh)."
  }
}

variable "project" {
  description = "Project id; null for the provider's project."
  type        = string
  default     = null
}

variable "gce_zone" {
  description = "Compute Engine zone, e.g. us-central1-a."
  type        = string
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

variable "machine_type" {
  type    = string
  default = "e2-standard-4"
}

variable "network" {
  type    = string
  default = "default"
}

variable "subnetwork" {
  description = "Subnetwork of the zone's region; null for the network's default."
  type        = string
  default     = null
}

variable "external_ip" {
  description = "Give the host an external address (false when the master reaches the network privately)."
  type        = bool
  default     = true
}

variable "image" {
  description = "Boot image; the default is the newest of the debian-12 family."
  type        = string
  default     = "debian-cloud/debian-12"
}

variable "disk_size" {
  description = "Boot disk size in GB (pd-balanced; encrypted at rest by Google, or by kms_key_self_link)."
  type        = number
  default     = 30
}

variable "kms_key_self_link" {
  description = "Customer-managed key for the boot disk; null for Google-managed encryption."
  type        = string
  default     = null
}

variable "labels" {
  description = "More labels for the instance."
  type        = map(string)
  default     = {}
}
