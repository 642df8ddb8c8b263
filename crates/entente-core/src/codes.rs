//! Validated codes: nations (ISO 3166-1 alpha-2), frameworks and organisations.
//!
//! Parse, don't validate: a code that exists has been checked, so the rest of the system
//! never meets `"XX"` or `"pfp "`.

use std::fmt;
use std::str::FromStr;

/// The officially assigned ISO 3166-1 alpha-2 codes (249 of them).
const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ \
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR \
HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU \
LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU \
NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO \
SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU \
WF WS YE YT ZA ZM ZW";

/// Why a text is not a valid code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not an assigned ISO 3166-1 alpha-2 code.
    #[error("`{0}` is not an ISO 3166-1 alpha-2 country code")]
    Nation(String),
    /// Not a well-formed framework or organisation code.
    #[error("`{0}` is not a valid code: use 2 to 16 capital letters, digits or underscores")]
    Code(String),
    /// Not a well-formed activity or event code.
    #[error("`{0}` is not a valid code: use 2 to 32 capital letters, digits, `-`, `_` or `.`")]
    Record(String),
}

/// A nation's ISO 3166-1 alpha-2 code, such as `SE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NationCode([u8; 2]);

impl NationCode {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII capitals from the ISO list are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl FromStr for NationCode {
    type Err = CodeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let assigned = text.len() == 2 && ISO_3166_ALPHA2.split(' ').any(|code| code == text);
        match text.as_bytes() {
            [a, b] if assigned => Ok(Self([*a, *b])),
            _ => Err(CodeError::Nation(text.to_owned())),
        }
    }
}

impl fmt::Display for NationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Framework, organisation, area and body codes: 2 to 16 capitals, digits or underscores,
/// starting with a capital.
fn is_symbol(text: &str) -> bool {
    (2..=16).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && text.as_bytes()[0].is_ascii_uppercase()
}

/// Activity and event codes: 2 to 32 capitals, digits, `-`, `_` or `.`, starting with a
/// capital or a digit; safe in a URL path and a file name, and never ending in `.ics` (the
/// calendar's `/events/{code}.ics` would be ambiguous).
fn is_record(text: &str) -> bool {
    (2..=32).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        && text.as_bytes()[0].is_ascii_alphanumeric()
        && !text.ends_with(".ics")
}

/// A code held as text, valid when `$valid` says so, refused as `$error` otherwise.
macro_rules! text_code {
    ($(#[$doc:meta])* $name:ident, $valid:path, $error:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The code as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = CodeError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                if $valid(text) { Ok(Self(text.to_owned())) } else { Err($error(text.to_owned())) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_code!(
    /// A framework or status code, such as `PFP` or `MD`.
    FrameworkCode, is_symbol, CodeError::Code
);
text_code!(
    /// An organisation's code, such as `EU` or `OSCE`.
    OrganisationCode, is_symbol, CodeError::Code
);
text_code!(
    /// An area of cooperation's code, such as `CYBER`.
    AreaCode, is_symbol, CodeError::Code
);
text_code!(
    /// A menu activity's code, such as `CYB-0042`.
    ActivityCode, is_record, CodeError::Record
);
text_code!(
    /// An event's code, such as `CYB-0042-1`.
    EventCode, is_record, CodeError::Record
);

macro_rules! serde_as_text {
    ($($name:ident),*) => {$(
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}
serde_as_text!(NationCode, FrameworkCode, OrganisationCode, AreaCode, ActivityCode, EventCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iso_list_is_complete_and_sorted() {
        let codes: Vec<&str> = ISO_3166_ALPHA2.split(' ').collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn nation_codes_must_be_assigned() {
        assert_eq!("SE".parse::<NationCode>().unwrap().as_str(), "SE");
        for bad in ["se", "XX", "SWE", "", "S"] {
            assert!(bad.parse::<NationCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn activity_and_event_codes_are_safe_in_paths() {
        assert!("CYB-0042.1".parse::<ActivityCode>().is_ok());
        assert!("2026_A".parse::<EventCode>().is_ok());
        for bad in ["cyb-1", "-A1", "A/1", "A", "CYB-1.ICS".to_lowercase().as_str(), "CYB-1.ics", &"A".repeat(33)] {
            assert!(bad.parse::<EventCode>().is_err(), "{bad}");
        }
    }

    #[test]
    fn framework_codes_are_capitals() {
        assert!("PFP".parse::<FrameworkCode>().is_ok());
        assert!("PATG".parse::<FrameworkCode>().is_ok());
        for bad in ["pfp", "P", "PF P", "1PFP", "ABCDEFGHIJKLMNOPQ"] {
            assert!(bad.parse::<FrameworkCode>().is_err(), "{bad}");
        }
    }
}
