//! The known Vietnamese CA families, recognised from an issuer's name.

use serde::Serialize;

use crate::cert::name::{AttributeKind, Name};

/// A Vietnamese certification authority family (the provider of a certificate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaFamily {
    /// The national roots run by NEAC (Vietnam National Root CA, MIC National Root CA).
    NationalRoot,
    /// VNPT-CA, VNPT SmartCA.
    Vnpt,
    /// Viettel-CA.
    Viettel,
    /// BkavCA.
    Bkav,
    /// FPT-CA.
    Fpt,
    /// CA2 (Nacencomm).
    Ca2,
    /// SmartSign / Vina-CA.
    SmartSignVina,
    /// SAFE-CA.
    Safe,
    /// NewCA (Newtel).
    NewCa,
    /// EFY-CA.
    Efy,
    /// MISA eSign.
    Misa,
    /// FastCA.
    FastCa,
    /// I-CA.
    ICa,
    /// IntrustCA.
    Intrust,
    /// LCS-CA.
    Lcs,
    /// NC-CA.
    Nc,
    /// CyberLotus.
    CyberLotus,
    /// Mobile-ID.
    MobileId,
    /// EasyCA.
    EasyCa,
}

/// Markers searched in the issuer's CN and O, upper-cased with spaces, dots and hyphens removed;
/// the first match wins, so longer markers stand before shorter ones they contain.
const MARKERS: [(&str, CaFamily); 24] = [
    ("NATIONALROOTCA", CaFamily::NationalRoot),
    ("VNPT", CaFamily::Vnpt),
    ("VIETNAMPOSTSANDTELECOMMUNICATIONS", CaFamily::Vnpt),
    ("VIETTEL", CaFamily::Viettel),
    ("BKAV", CaFamily::Bkav),
    ("FPT", CaFamily::Fpt),
    ("NACENCOMM", CaFamily::Ca2),
    ("SMARTSIGN", CaFamily::SmartSignVina),
    ("VINACA", CaFamily::SmartSignVina),
    ("SAFECA", CaFamily::Safe),
    ("NEWTEL", CaFamily::NewCa),
    ("NEWCA", CaFamily::NewCa),
    ("EFYCA", CaFamily::Efy),
    ("EFYVIETNAM", CaFamily::Efy),
    ("MISA", CaFamily::Misa),
    ("FASTCA", CaFamily::FastCa),
    ("INTRUSTCA", CaFamily::Intrust),
    ("LCSCA", CaFamily::Lcs),
    ("CYBERLOTUS", CaFamily::CyberLotus),
    ("MOBILEID", CaFamily::MobileId),
    ("EASYCA", CaFamily::EasyCa),
    // Short markers that occur inside ordinary words are matched as whole words only, below.
    ("CA2", CaFamily::Ca2),
    ("ICA", CaFamily::ICa),
    ("NCCA", CaFamily::Nc),
];

/// Markers too short to search inside words ("CERTIFICATION" contains "ICA").
const WORD_ONLY: [&str; 3] = ["CA2", "ICA", "NCCA"];

impl CaFamily {
    /// The family's usual name: `VNPT-CA`, `Viettel-CA`, `BkavCA`, `National Root CA`, …
    pub fn name(self) -> &'static str {
        match self {
            Self::NationalRoot => "National Root CA",
            Self::Vnpt => "VNPT-CA",
            Self::Viettel => "Viettel-CA",
            Self::Bkav => "BkavCA",
            Self::Fpt => "FPT-CA",
            Self::Ca2 => "CA2",
            Self::SmartSignVina => "SmartSign/Vina-CA",
            Self::Safe => "SAFE-CA",
            Self::NewCa => "NewCA",
            Self::Efy => "EFY-CA",
            Self::Misa => "MISA",
            Self::FastCa => "FastCA",
            Self::ICa => "I-CA",
            Self::Intrust => "IntrustCA",
            Self::Lcs => "LCS-CA",
            Self::Nc => "NC-CA",
            Self::CyberLotus => "CyberLotus",
            Self::MobileId => "Mobile-ID",
            Self::EasyCa => "EasyCA",
        }
    }

    /// The family named in an issuer's CN or O, if it is a known one.
    pub fn of_issuer(issuer: &Name) -> Option<CaFamily> {
        let texts: Vec<&str> = [AttributeKind::CommonName, AttributeKind::Organization]
            .iter()
            .flat_map(|k| issuer.all(k).collect::<Vec<_>>())
            .collect();
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, ' ' | '-' | '.' | '_'))
                .flat_map(char::to_uppercase)
                .collect()
        };
        let joined: Vec<String> = texts.iter().map(|t| squash(t)).collect();
        let words: Vec<String> = texts
            .iter()
            .flat_map(|t| t.split(|c: char| c.is_whitespace() || ",;()".contains(c)))
            .map(squash)
            .collect();
        MARKERS.iter().find_map(|(marker, family)| {
            let hit = if WORD_ONLY.contains(marker) {
                words.iter().any(|w| w == marker)
            } else {
                joined.iter().any(|t| t.contains(marker))
            };
            hit.then_some(*family)
        })
    }
}

crate::schema::string_schema!(CaFamily);

impl Serialize for CaFamily {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::{SetOfVec, Utf8StringRef};
    use x509_cert::attr::AttributeTypeAndValue;
    use x509_cert::name::RelativeDistinguishedName;

    fn issuer(cn: &str, o: &str) -> Name {
        let atv = |oid: &str, v: &str| AttributeTypeAndValue {
            oid: der::asn1::ObjectIdentifier::new_unwrap(oid),
            value: der::Any::from(Utf8StringRef::new(v).unwrap()),
        };
        let rdn = |a| RelativeDistinguishedName(SetOfVec::try_from(vec![a]).unwrap());
        let name =
            x509_cert::name::RdnSequence(vec![rdn(atv("2.5.4.3", cn)), rdn(atv("2.5.4.10", o))]);
        Name::from_x509(&name)
    }

    #[test]
    fn recognises_families() {
        let cases = [
            (
                "VNPT Certification Authority",
                "VNPT Group",
                Some(CaFamily::Vnpt),
            ),
            (
                "VNPT SmartCA RS",
                "VIETNAM POSTS AND TELECOMMUNICATIONS GROUP",
                Some(CaFamily::Vnpt),
            ),
            ("Viettel-CA RS", "Viettel Group", Some(CaFamily::Viettel)),
            ("BkavCA SHA256", "Bkav Corporation", Some(CaFamily::Bkav)),
            (
                "FPT Certification Authority",
                "FPT Information System",
                Some(CaFamily::Fpt),
            ),
            ("CA2", "Nacencomm SCT", Some(CaFamily::Ca2)),
            ("SmartSign", "Vina-CA", Some(CaFamily::SmartSignVina)),
            ("SAFE-CA", "Safe", Some(CaFamily::Safe)),
            ("NewCA", "Newtel", Some(CaFamily::NewCa)),
            ("EFY-CA", "EFY Việt Nam", Some(CaFamily::Efy)),
            ("MISA eSign", "MISA JSC", Some(CaFamily::Misa)),
            (
                "FastCA SHA-256",
                "CÔNG TY CỔ PHẦN CHỮ KÝ SỐ FASTCA",
                Some(CaFamily::FastCa),
            ),
            ("I-CA", "I-CA Việt Nam", Some(CaFamily::ICa)),
            ("IntrustCA", "Intrust", Some(CaFamily::Intrust)),
            ("LCS-CA", "LCS", Some(CaFamily::Lcs)),
            ("NC-CA", "NC", Some(CaFamily::Nc)),
            ("CyberLotus CA", "CyberLotus", Some(CaFamily::CyberLotus)),
            ("Mobile-ID", "Mobile-ID", Some(CaFamily::MobileId)),
            ("EasyCA", "EasyCA", Some(CaFamily::EasyCa)),
            (
                "Vietnam National Root CA",
                "Ministry of Information and Communications",
                Some(CaFamily::NationalRoot),
            ),
            ("Some Certification Authority", "Unknown Ltd", None),
        ];
        for (cn, o, expected) in cases {
            assert_eq!(CaFamily::of_issuer(&issuer(cn, o)), expected, "{cn} / {o}");
        }
    }
}
