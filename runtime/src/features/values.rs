//! Enumerations of the string values the gateway takes or gives for one member, with a
//! fallback variant for the values it adds without notice: the bill requests' values
//! and every enumeration of the typed endpoints (`crate::apis`) are declared with
//! `gateway_values!`.

/// Declares an enum of the string values the gateway takes for one parameter, with a
/// fallback for values added after this crate: each variant is sent and read as the
/// gateway spells it.
macro_rules! gateway_values {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
            /// A value this crate does not name, sent and read exactly as given.
            Other(::std::string::String),
        }

        impl $name {
            /// Every value this crate names, in the gateway's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value as the gateway spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            /// The variant spelled `text` (exactly, as the gateway writes it), else
            /// `Other(text)`.
            fn from(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer).map(|text| $name::from(text.as_str()))
            }
        }
    };
}

pub(crate) use gateway_values;
