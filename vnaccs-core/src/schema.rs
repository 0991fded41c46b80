//! JSON Schemas of the documents the library reads and writes (generated with schemars), and the
//! schema of a type that serialises as a plain string.

/// Implements [`schemars::JsonSchema`] as `{"type": "string"}` for a type serialised as text.
macro_rules! string_schema {
    ($ty:ident) => {
        impl ::schemars::JsonSchema for $ty {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string" })
            }
        }
    };
}
pub(crate) use string_schema;
