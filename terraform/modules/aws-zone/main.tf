# A qair zone host on EC2, as the aws cloud adapter makes one: a security group that opens only the
# agent port from the master, IMDSv2 required, an encrypted root volume, and the host setup of
# `qair zone host-setup` as user-data (the same HostSetup the adapter delivers: see docs/terraform.md).

locals {
  tags = merge(var.tags, {
    "qair:zone"       = var.zone
    "qair:agent-port" = tostring(var.agent_port)
    "qair:managed-by" = "terraform"
  })
  ami = var.ami != null ? var.ami : data.aws_ami.debian[0].id
}

data "aws_ami" "debian" {
  count       = var.ami == null ? 1 : 0
  most_recent = true
  owners      = ["136693071363"]
  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }
  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

data "aws_subnet" "chosen" {
  count = var.subnet_id == null ? 0 : 1
  id    = var.subnet_id
}

resource "aws_security_group" "agent" {
  name_prefix = "qair-${var.zone}-"
  description = "qair zone ${var.zone}: the zone agent port, from the master only"
  vpc_id      = var.subnet_id == null ? null : data.aws_subnet.chosen[0].vpc_id
  tags        = merge(local.tags, { Name = "qair-${var.zone}" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "agent" {
  security_group_id = aws_security_group.agent.id
  description       = "qair zone agent (mutual TLS), from the master"
  ip_protocol       = "tcp"
  from_port         = var.agent_port
  to_port           = var.agent_port
  cidr_ipv4         = var.allow_from
  tags              = local.tags
}

# outbound: Debian packages and the agent distribution (https), DNS, NTP
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.agent.id
  description       = "packages, agent download, DNS, NTP"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

resource "aws_instance" "host" {
  ami                         = local.ami
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  associate_public_ip_address = var.associate_public_ip
  vpc_security_group_ids      = [aws_security_group.agent.id]
  user_data                   = var.user_data
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.volume_size
    encrypted             = true
    kms_key_id            = var.kms_key_id
    delete_on_termination = true
    tags                  = local.tags
  }

  tags = merge(local.tags, { Name = "qair-${var.zone}" })
}
