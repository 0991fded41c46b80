//! Distinguished names: subject and issuer attributes decoded to text.

use std::fmt;

use der::asn1::{Any, ObjectIdentifier as Oid};
use der::{Encode, Tag, Tagged};
use serde::Serialize;

/// The kind of a name attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttributeKind {
    /// CN, common name.
    CommonName,
    /// O, organization.
    Organization,
    /// OU, organizational unit.
    OrganizationalUnit,
    /// L, locality (district, city).
    Locality,
    /// ST, state or province.
    State,
    /// C, country.
    Country,
    /// STREET, street address.
    Street,
    /// E, email address (PKCS #9).
    Email,
    /// T, title.
    Title,
    /// SERIALNUMBER.
    SerialNumber,
    /// UID, where Vietnamese CAs put `MST:…`, `CCCD:…` and the like.
    Uid,
    /// Any other attribute, by dotted OID.
    Other(String),
}

const KINDS: [(&str, AttributeKind, &str); 11] = [
    ("2.5.4.3", AttributeKind::CommonName, "CN"),
    ("2.5.4.10", AttributeKind::Organization, "O"),
    ("2.5.4.11", AttributeKind::OrganizationalUnit, "OU"),
    ("2.5.4.7", AttributeKind::Locality, "L"),
    ("2.5.4.8", AttributeKind::State, "ST"),
    ("2.5.4.6", AttributeKind::Country, "C"),
    ("2.5.4.9", AttributeKind::Street, "STREET"),
    ("1.2.840.113549.1.9.1", AttributeKind::Email, "E"),
    ("2.5.4.12", AttributeKind::Title, "T"),
    ("2.5.4.5", AttributeKind::SerialNumber, "SERIALNUMBER"),
    ("0.9.2342.19200300.100.1.1", AttributeKind::Uid, "UID"),
];

impl AttributeKind {
    fn from_oid(oid: &Oid) -> Self {
        let dotted = oid.to_string();
        KINDS
            .iter()
            .find(|(o, ..)| *o == dotted)
            .map_or(AttributeKind::Other(dotted), |(_, k, _)| k.clone())
    }

    /// The short label used in text forms: `CN`, `O`, `UID`, or the dotted OID.
    pub fn label(&self) -> &str {
        match self {
            AttributeKind::Other(oid) => oid,
            known => KINDS
                .iter()
                .find(|(_, k, _)| k == known)
                .map_or("?", |(.., label)| label),
        }
    }
}

crate::schema::string_schema!(AttributeKind);

impl Serialize for AttributeKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// One attribute of a name, its value decoded to text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NameAttribute {
    /// What the attribute is.
    pub kind: AttributeKind,
    /// Its value as text.
    pub value: String,
}

/// A distinguished name as a list of attributes in certificate order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Name {
    attributes: Vec<NameAttribute>,
}

impl Name {
    /// Decodes every attribute of an X.509 name.
    pub(crate) fn from_x509(name: &x509_cert::name::Name) -> Self {
        let attributes = name
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .map(|atv| NameAttribute {
                kind: AttributeKind::from_oid(&atv.oid),
                value: decode_string(&atv.value),
            })
            .collect();
        Name { attributes }
    }

    /// Every attribute, in certificate order.
    pub fn attributes(&self) -> &[NameAttribute] {
        &self.attributes
    }

    /// The first value of `kind`, if any.
    pub fn get(&self, kind: &AttributeKind) -> Option<&str> {
        self.all(kind).next()
    }

    /// Every value of `kind`, in certificate order.
    pub fn all<'a>(&'a self, kind: &AttributeKind) -> impl Iterator<Item = &'a str> + 'a {
        let kind = kind.clone();
        self.attributes
            .iter()
            .filter(move |a| a.kind == kind)
            .map(|a| a.value.as_str())
    }
}

impl fmt::Display for Name {
    /// `CN=…, O=…, UID=…` in certificate order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.attributes.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}={}", a.kind.label(), a.value)?;
        }
        Ok(())
    }
}

/// Decodes a directory string of any type Vietnamese CAs use. A value that is not a string, or not
/// valid in its type, is shown as `#` and the hex of its DER, as RFC 4514 does.
fn decode_string(value: &Any) -> String {
    let bytes = value.value();
    let text = match value.tag() {
        Tag::Utf8String => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Tag::PrintableString | Tag::Ia5String | Tag::VisibleString | Tag::NumericString => bytes
            .is_ascii()
            .then(|| String::from_utf8_lossy(bytes).into_owned()),
        // T.61 in practice carries Latin-1.
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString if bytes.len().is_multiple_of(2) => {
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        _ => None,
    };
    text.unwrap_or_else(|| {
        let der = value.to_der().unwrap_or_default();
        format!(
            "#{}",
            der.iter().map(|b| format!("{b:02X}")).collect::<String>()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(tag: Tag, bytes: &[u8]) -> Any {
        Any::new(tag, bytes).unwrap()
    }

    #[test]
    fn decodes_every_string_type() {
        assert_eq!(
            decode_string(&any(Tag::Utf8String, "Quận 1".as_bytes())),
            "Quận 1"
        );
        assert_eq!(
            decode_string(&any(Tag::PrintableString, b"MST:0302345459")),
            "MST:0302345459"
        );
        assert_eq!(decode_string(&any(Tag::Ia5String, b"a@b.vn")), "a@b.vn");
        let bmp: Vec<u8> = "Hà Nội".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_string(&any(Tag::BmpString, &bmp)), "Hà Nội");
        assert_eq!(
            decode_string(&any(Tag::TeletexString, b"Ha Noi \xe9")),
            "Ha Noi é"
        );
    }

    #[test]
    fn undecodable_values_are_shown_as_hex() {
        assert_eq!(decode_string(&any(Tag::Utf8String, b"\xff")), "#0C01FF");
        assert_eq!(
            decode_string(&any(Tag::PrintableString, "ậ".as_bytes())),
            "#1303E1BAAD"
        );
        assert_eq!(decode_string(&any(Tag::Integer, &[5])), "#020105");
        assert_eq!(
            decode_string(&any(Tag::BmpString, &[0, 65, 0])),
            "#1E03004100"
        );
    }

    #[test]
    fn kinds_and_labels() {
        assert_eq!(
            AttributeKind::from_oid(&Oid::new_unwrap("0.9.2342.19200300.100.1.1")),
            AttributeKind::Uid
        );
        assert_eq!(AttributeKind::Uid.label(), "UID");
        let other = AttributeKind::from_oid(&Oid::new_unwrap("1.2.3.4"));
        assert_eq!(other.label(), "1.2.3.4");
    }
}
