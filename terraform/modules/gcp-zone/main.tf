# A qair zone host on Compute Engine, as the gcp cloud adapter makes one: a firewall rule that opens
# only the agent port from the master to this instance, Shielded VM, an encrypted boot disk, and the
# host setup of `qair zone host-setup` as user-data and startup-script metadata (the same HostSetup
# the adapter delivers: see docs/terraform.md).

locals {
  name       = "qair-${var.zone}"
  target_tag = "qair-${var.zone}-agent"
}

resource "google_compute_firewall" "agent" {
  project       = var.project
  name          = local.target_tag
  network       = var.network
  description   = "qair zone ${var.zone}: the zone agent port, from the master only"
  direction     = "INGRESS"
  priority      = 1000
  source_ranges = [var.allow_from]
  target_tags   = [local.target_tag]

  allow {
    protocol = "tcp"
    ports    = [tostring(var.agent_port)]
  }
}

resource "google_compute_instance" "host" {
  project      = var.project
  zone         = var.gce_zone
  name         = local.name
  machine_type = var.machine_type
  description  = "qair zone ${var.zone}"
  tags         = [local.target_tag]
  labels = merge(var.labels, {
    "qair-zone"       = var.zone
    "qair-managed-by" = "terraform"
  })

  boot_disk {
    auto_delete       = true
    kms_key_self_link = var.kms_key_self_link
    initialize_params {
      image = var.image
      size  = var.disk_size
      type  = "pd-balanced"
    }
  }

  network_interface {
    network    = var.network
    subnetwork = var.subnetwork
    dynamic "access_config" {
      for_each = var.external_ip ? [1] : []
      content {}
    }
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }

  metadata = {
    "user-data"              = var.user_data
    "startup-script"         = var.startup_script
    "qair-agent-port"        = tostring(var.agent_port)
    "block-project-ssh-keys" = "true"
  }
}
