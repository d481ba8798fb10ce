//! Portainer's integer enums (§2.1 of docs/portainer-api.md). Values start at 1. Anything else (0, or
//! a value a newer Portainer adds) decodes as `Unknown(n)` instead of failing the whole answer.

use serde::{Deserialize, Deserializer};

/// Reads an enum number; `null` becomes 0 (so `Unknown(0)`), because Portainer has written
/// nulls for unset enums in migrated data.
fn decode_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    Ok(Option::<u32>::deserialize(deserializer)?.unwrap_or(0))
}

macro_rules! int_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A number this version of Portlight does not know.
            Unknown(u32),
        }

        impl $name {
            pub const fn from_u32(n: u32) -> Self {
                match n {
                    $($value => Self::$variant,)+
                    other => Self::Unknown(other),
                }
            }

            /// The number Portainer uses on the wire.
            pub const fn as_u32(self) -> u32 {
                match self {
                    $(Self::$variant => $value,)+
                    Self::Unknown(n) => n,
                }
            }
        }

        impl From<u32> for $name {
            fn from(n: u32) -> Self {
                Self::from_u32(n)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Unknown(0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                decode_int(deserializer).map(Self::from_u32)
            }
        }
    };
}

int_enum! {
    /// `Stack.Type`.
    StackType {
        DockerSwarm = 1,
        DockerCompose = 2,
        Kubernetes = 3,
    }
}

int_enum! {
    /// `Stack.Status`.
    StackStatus {
        Active = 1,
        Inactive = 2,
    }
}

int_enum! {
    /// `Endpoint.Type`: how Portainer reaches the environment.
    EndpointType {
        /// Docker socket or API.
        Docker = 1,
        AgentOnDocker = 2,
        /// Azure Container Instances.
        Azure = 3,
        EdgeAgentOnDocker = 4,
        KubernetesLocal = 5,
        AgentOnKubernetes = 6,
        EdgeAgentOnKubernetes = 7,
    }
}

int_enum! {
    /// `Endpoint.Status`.
    EndpointStatus {
        Up = 1,
        Down = 2,
    }
}

int_enum! {
    /// `User.Role`.
    UserRole {
        Administrator = 1,
        StandardUser = 2,
    }
}

int_enum! {
    /// `TeamMembership.Role`.
    MembershipRole {
        TeamLeader = 1,
        TeamMember = 2,
    }
}

int_enum! {
    /// `ResourceControl.Type`. Stack is 6 (the Go struct comment saying 5 is wrong).
    ResourceControlType {
        Container = 1,
        Service = 2,
        Volume = 3,
        Network = 4,
        Secret = 5,
        Stack = 6,
        Config = 7,
        CustomTemplate = 8,
        AzureContainerGroup = 9,
    }
}

int_enum! {
    /// `Settings.AuthenticationMethod`.
    AuthenticationMethod {
        Internal = 1,
        Ldap = 2,
        OAuth = 3,
    }
}

impl EndpointType {
    /// Docker environments (socket, agent, edge agent): the ones with stacks of containers.
    pub const fn is_docker(self) -> bool {
        matches!(
            self,
            Self::Docker | Self::AgentOnDocker | Self::EdgeAgentOnDocker
        )
    }

    pub const fn is_kubernetes(self) -> bool {
        matches!(
            self,
            Self::KubernetesLocal | Self::AgentOnKubernetes | Self::EdgeAgentOnKubernetes
        )
    }

    pub const fn is_edge(self) -> bool {
        matches!(self, Self::EdgeAgentOnDocker | Self::EdgeAgentOnKubernetes)
    }
}
