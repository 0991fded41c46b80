//! The JSON form of an error, the one the CLI's `--json` and both bindings give:
//! `{"code", "status", "category", "message", "message_vi", "hint", "hint_vi", "retryable"}`,
//! plus `"step"` for a failed step of the update.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{Category, Error};

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let step = self.step();
        let mut s = serializer.serialize_struct("Error", 8 + usize::from(step.is_some()))?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("status", &self.status())?;
        s.serialize_field("category", &self.category())?;
        s.serialize_field("message", &self.message_en())?;
        s.serialize_field("message_vi", &self.message_vi())?;
        s.serialize_field("hint", self.hint())?;
        s.serialize_field("hint_vi", self.hint_vi())?;
        s.serialize_field("retryable", &self.retryable())?;
        if let Some(step) = step {
            s.serialize_field("step", &step)?;
        }
        s.end()
    }
}

impl JsonSchema for Error {
    fn schema_name() -> Cow<'static, str> {
        "Error".into()
    }

    fn schema_id() -> Cow<'static, str> {
        "vnaccs_core::Error".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let category = generator.subschema_for::<Category>();
        let step = generator.subschema_for::<crate::workflow::Step>();
        json_schema!({
            "description": "An error: its stable identity, both messages and what to do next.",
            "type": "object",
            "properties": {
                "code": { "type": "string", "description": "The stable snake_case code." },
                "status": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1000,
                    "maximum": 9999,
                    "description": "The stable numeric status, by area (see docs/errors.md)."
                },
                "category": category,
                "message": { "type": "string", "description": "The message, in English." },
                "message_vi": { "type": "string", "description": "The message, in Vietnamese." },
                "hint": { "type": "string", "description": "What to do next, in English." },
                "hint_vi": { "type": "string", "description": "What to do next, in Vietnamese." },
                "retryable": {
                    "type": "boolean",
                    "description": "Whether the same call may succeed if made again later."
                },
                "step": step
            },
            "required": [
                "code", "status", "category", "message", "message_vi", "hint", "hint_vi",
                "retryable"
            ],
            "additionalProperties": false
        })
    }
}
