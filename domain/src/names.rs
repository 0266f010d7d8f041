//! Stable snake_case codes and Chinese labels for the filing enums, generated from one table per
//! enum so the code, the label and `ALL` cannot drift apart.

/// A code that names no variant, e.g. a state column holding a value this build does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{code}” is not a known {kind}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// For an enum already declared with `#[serde(rename_all = "snake_case")]`, generates `ALL`,
/// `as_str` (the same code serde uses; a test per enum checks that), `label` (Chinese, for the UI),
/// `Display` (the code, for logs) and `FromStr` (the code, for database columns). The invoking
/// module imports [`UnknownCode`] beside the macro; naming no absolute path keeps the module
/// movable within a crate.
macro_rules! named_enum {
    ($ty:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: [$ty; [$($code),+].len()] = [$($ty::$variant),+];

            /// The snake_case code used in JSON and in the database.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $code,)+
                }
            }

            /// The Chinese label shown to users.
            pub const fn label(self) -> &'static str {
                match self {
                    $($ty::$variant => $label,)+
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = UnknownCode;

            fn from_str(code: &str) -> Result<Self, Self::Err> {
                match code {
                    $($code => Ok($ty::$variant),)+
                    _ => Err(UnknownCode {
                        kind: stringify!($ty),
                        code: code.to_owned(),
                    }),
                }
            }
        }

        $crate::names::stored_as_code!($ty);
    };
}

/// With the `sea-orm` feature, lets an entity column hold the enum itself: stored as its code
/// (the same text the columns always held, so no migration), and a stored code this build does
/// not know is a read error naming the column's type instead of a value quietly passed on.
#[cfg(feature = "sea-orm")]
#[doc(hidden)]
#[macro_export]
macro_rules! stored_as_code {
    ($ty:ident) => {
        impl ::std::convert::From<$ty> for ::sea_orm::Value {
            fn from(value: $ty) -> Self {
                ::sea_orm::Value::from(value.as_str().to_owned())
            }
        }

        impl ::sea_orm::TryGetable for $ty {
            fn try_get_by<I: ::sea_orm::ColIdx>(
                res: &::sea_orm::QueryResult,
                idx: I,
            ) -> ::std::result::Result<Self, ::sea_orm::TryGetError> {
                let code = <String as ::sea_orm::TryGetable>::try_get_by(res, idx)?;
                code.parse().map_err(|err: UnknownCode| {
                    ::sea_orm::TryGetError::DbErr(::sea_orm::DbErr::TryIntoErr {
                        from: "String",
                        into: stringify!($ty),
                        source: ::std::sync::Arc::new(err),
                    })
                })
            }
        }

        impl ::sea_orm::sea_query::ValueType for $ty {
            fn try_from(
                value: ::sea_orm::Value,
            ) -> ::std::result::Result<Self, ::sea_orm::sea_query::ValueTypeErr> {
                let code = <String as ::sea_orm::sea_query::ValueType>::try_from(value)?;
                code.parse().map_err(|_| ::sea_orm::sea_query::ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($ty).to_owned()
            }

            fn array_type() -> ::sea_orm::sea_query::ArrayType {
                ::sea_orm::sea_query::ArrayType::String
            }

            fn column_type() -> ::sea_orm::sea_query::ColumnType {
                ::sea_orm::sea_query::ColumnType::String(::sea_orm::sea_query::StringLen::None)
            }
        }

        impl ::sea_orm::sea_query::Nullable for $ty {
            fn null() -> ::sea_orm::Value {
                ::sea_orm::Value::String(None)
            }
        }

        impl ::sea_orm::IntoActiveValue<$ty> for $ty {
            fn into_active_value(self) -> ::sea_orm::ActiveValue<$ty> {
                ::sea_orm::ActiveValue::Set(self)
            }
        }

        impl ::sea_orm::sea_query::postgres_array::NotU8 for $ty {}
    };
}

#[cfg(not(feature = "sea-orm"))]
#[doc(hidden)]
#[macro_export]
macro_rules! stored_as_code {
    ($ty:ident) => {};
}

#[doc(hidden)]
pub use stored_as_code;

pub(crate) use named_enum;

/// Shared by the per-enum tests: serde's code and `as_str` agree, and `FromStr` inverts it.
#[cfg(test)]
pub(crate) fn assert_codes_consistent<T>(all: &[T])
where
    T: serde::Serialize
        + serde::de::DeserializeOwned
        + std::str::FromStr
        + std::fmt::Display
        + std::fmt::Debug
        + PartialEq
        + Copy,
    <T as std::str::FromStr>::Err: std::fmt::Debug,
{
    for &value in all {
        let code = value.to_string();
        assert_eq!(
            serde_json::to_value(value).expect("serializes"),
            serde_json::Value::String(code.clone())
        );
        assert_eq!(
            serde_json::from_value::<T>(serde_json::Value::String(code.clone())).expect("parses"),
            value
        );
        assert_eq!(code.parse::<T>().expect("parses"), value);
    }
}
