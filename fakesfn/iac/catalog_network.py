"""Network, load balancer and database types: what ``Ref`` and ``Fn::GetAtt`` return.

State machines reach these as ECS task subnets and security groups, database
endpoints or load balancer names. EC2 ids keep AWS's shape (``vpc-`` and 17
hex digits); values declared in the template (a subnet's CIDR block, its VPC)
are read back from the properties, as AWS would echo them.
"""

from __future__ import annotations

from typing import Final

from fakesfn.iac.kinds import Getter, Instance, Kind, NameRule, prop_of
from fakesfn.iac.names import HEX, LOWER


def _ec2_id(prefix: str) -> Getter:
    def make(instance: Instance) -> str:
        return f"{prefix}-{instance.token('id', 17, HEX)}"

    return make


def _ec2(prefix: str, *names: str, extra: dict[str, Getter] | None = None) -> Kind:
    """An EC2 resource whose ``Ref`` (and the attributes ``names``) is its ``prefix-`` id."""
    make = _ec2_id(prefix)
    return Kind(make, {**dict.fromkeys(names, make), **(extra or {})})


def _zone(instance: Instance) -> object:
    return instance.prop("AvailabilityZone", f"{instance.environment.region}a")


def _ip(instance: Instance, private: bool) -> str:
    digits = instance.token("private-ip" if private else "public-ip", 2, "0123456789")
    return f"10.0.0.{int(digits) + 10}" if private else f"3.80.0.{int(digits) + 10}"


def _elb(kind: str) -> Getter:
    def arn(instance: Instance) -> str:
        short = "app" if instance.text("Type", "application") == "application" else "net"
        path = (
            f"loadbalancer/{short}/{instance.name}"
            if kind == "loadbalancer"
            else f"targetgroup/{instance.name}"
        )
        return instance.arn("elasticloadbalancing", f"{path}/{instance.token('id', 16, HEX)}")

    return arn


def _elb_full_name(instance: Instance) -> str:
    arn: str = _elb("loadbalancer")(instance)
    return arn.split(":loadbalancer/", 1)[1]


def _dns(instance: Instance) -> str:
    region = instance.environment.region
    return f"{instance.name}-{int(instance.token('dns', 9, '0123456789'))}.{region}.elb.amazonaws.com"


def _db_endpoint(suffix: str, prefix: str = "") -> Getter:
    def host(instance: Instance) -> str:
        region = instance.environment.region
        return f"{instance.name}{prefix}.{instance.token('endpoint', 12, LOWER)}.{region}.{suffix}"

    return host


def _db_port(default: str) -> Getter:
    def port(instance: Instance) -> str:
        engine = instance.text("Engine", "") or ""
        fallback = "5432" if "postgres" in engine else default
        return instance.text("Port", fallback) or fallback

    return port


_DB_NAME: Final = NameRule(63, alphabet=LOWER, lower=True)

NETWORK_KINDS: Final[dict[str, Kind]] = {
    "AWS::EC2::VPC": _ec2(
        "vpc",
        "VpcId",
        extra={
            "CidrBlock": prop_of("CidrBlock"),
            "DefaultSecurityGroup": _ec2_id("sg"),
            "DefaultNetworkAcl": _ec2_id("acl"),
            "CidrBlockAssociations": lambda i: [_ec2_id("vpc-cidr-assoc")(i)],
            "Ipv6CidrBlocks": lambda i: [],
        },
    ),
    "AWS::EC2::Subnet": _ec2(
        "subnet",
        "SubnetId",
        extra={
            "VpcId": prop_of("VpcId"),
            "AvailabilityZone": _zone,
            "CidrBlock": prop_of("CidrBlock"),
            "NetworkAclAssociationId": _ec2_id("aclassoc"),
            "Ipv6CidrBlocks": lambda i: [],
        },
    ),
    "AWS::EC2::SecurityGroup": _ec2("sg", "GroupId", extra={"VpcId": prop_of("VpcId")}),
    "AWS::EC2::SecurityGroupIngress": _ec2("sgr", "Id"),
    "AWS::EC2::SecurityGroupEgress": _ec2("sgr", "Id"),
    "AWS::EC2::InternetGateway": _ec2("igw", "InternetGatewayId"),
    "AWS::EC2::NatGateway": _ec2("nat", "NatGatewayId"),
    "AWS::EC2::EIP": Kind(
        lambda i: _ip(i, False), {"PublicIp": lambda i: _ip(i, False), "AllocationId": _ec2_id("eipalloc")}
    ),
    "AWS::EC2::RouteTable": _ec2("rtb", "RouteTableId"),
    "AWS::EC2::Route": _ec2("r", "Id"),
    "AWS::EC2::VPCGatewayAttachment": _ec2("igw-attach", "Id"),
    "AWS::EC2::SubnetRouteTableAssociation": _ec2("rtbassoc", "Id"),
    "AWS::EC2::VPCEndpoint": _ec2("vpce", "Id"),
    "AWS::EC2::NetworkAcl": _ec2("acl", "Id"),
    "AWS::EC2::NetworkAclEntry": _ec2("aclentry", "Id"),
    "AWS::EC2::SubnetNetworkAclAssociation": _ec2("aclassoc", "AssociationId"),
    "AWS::EC2::FlowLog": _ec2("fl", "Id"),
    "AWS::EC2::Volume": _ec2("vol", "VolumeId"),
    "AWS::EC2::LaunchTemplate": _ec2(
        "lt",
        "LaunchTemplateId",
        extra={"LatestVersionNumber": lambda i: "1", "DefaultVersionNumber": lambda i: "1"},
    ),
    "AWS::EC2::Instance": _ec2(
        "i",
        "InstanceId",
        extra={
            "AvailabilityZone": _zone,
            "PrivateIp": lambda i: _ip(i, True),
            "PublicIp": lambda i: _ip(i, False),
            "PrivateDnsName": lambda i: f"ip-{_ip(i, True).replace('.', '-')}.ec2.internal",
            "PublicDnsName": lambda i: f"ec2-{_ip(i, False).replace('.', '-')}.compute-1.amazonaws.com",
        },
    ),
    "AWS::EC2::KeyPair": Kind(lambda i: i.name, {"KeyPairId": _ec2_id("key")}, "KeyName"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": Kind(
        _elb("loadbalancer"),
        {
            "LoadBalancerArn": _elb("loadbalancer"),
            "LoadBalancerName": lambda i: i.name,
            "LoadBalancerFullName": _elb_full_name,
            "DNSName": _dns,
            "CanonicalHostedZoneID": lambda i: "Z35SXDOTRQ7X7K",
            "SecurityGroups": prop_of("SecurityGroups", []),
        },
        "Name",
        NameRule(32),
    ),
    "AWS::ElasticLoadBalancingV2::TargetGroup": Kind(
        _elb("targetgroup"),
        {
            "TargetGroupArn": _elb("targetgroup"),
            "TargetGroupName": lambda i: i.name,
            "TargetGroupFullName": lambda i: _elb("targetgroup")(i).split(":", 5)[5],
            "LoadBalancerArns": lambda i: [],
        },
        "Name",
        NameRule(32),
    ),
    "AWS::ElasticLoadBalancingV2::Listener": Kind(
        lambda i: f"{i.prop('LoadBalancerArn')}/{i.token('id', 16, HEX)}".replace(
            ":loadbalancer/", ":listener/"
        ),
        {
            "ListenerArn": lambda i: f"{i.prop('LoadBalancerArn')}/{i.token('id', 16, HEX)}".replace(
                ":loadbalancer/", ":listener/"
            )
        },
    ),
    "AWS::RDS::DBCluster": Kind(
        lambda i: i.name,
        {
            "Endpoint.Address": _db_endpoint("rds.amazonaws.com", ".cluster"),
            "Endpoint.Port": _db_port("3306"),
            "ReadEndpoint.Address": _db_endpoint("rds.amazonaws.com", ".cluster-ro"),
            "DBClusterArn": lambda i: i.arn("rds", f"cluster:{i.name}"),
            "DBClusterResourceId": lambda i: f"cluster-{i.token('resource', 26, LOWER).upper()}",
        },
        "DBClusterIdentifier",
        _DB_NAME,
    ),
    "AWS::RDS::DBInstance": Kind(
        lambda i: i.name,
        {
            "Endpoint.Address": _db_endpoint("rds.amazonaws.com"),
            "Endpoint.Port": _db_port("3306"),
            "DBInstanceArn": lambda i: i.arn("rds", f"db:{i.name}"),
        },
        "DBInstanceIdentifier",
        _DB_NAME,
    ),
    "AWS::RDS::DBSubnetGroup": Kind(
        lambda i: i.name, {}, "DBSubnetGroupName", NameRule(255, alphabet=LOWER, lower=True)
    ),
    "AWS::Redshift::Cluster": Kind(
        lambda i: i.name,
        {
            "Endpoint.Address": _db_endpoint("redshift.amazonaws.com"),
            "Endpoint.Port": lambda i: i.text("Port", "5439"),
            "Id": lambda i: i.name,
        },
        "ClusterIdentifier",
        _DB_NAME,
    ),
    "AWS::Redshift::ClusterSubnetGroup": Kind(
        lambda i: i.name, {}, None, NameRule(255, alphabet=LOWER, lower=True)
    ),
    "AWS::EFS::FileSystem": Kind(
        _ec2_id("fs"),
        {
            "FileSystemId": _ec2_id("fs"),
            "Arn": lambda i: i.arn("elasticfilesystem", f"file-system/{_ec2_id('fs')(i)}"),
        },
    ),
}
"""Network, load balancer and database types (merged into the catalog)."""
