//! ISO 3166 country codes for states, from a built-in table keyed by
//! name. The language has no attribute for a code, so a state gets one
//! when its id, its name or one of its `aka` names is in this table
//! (compared without case, spaces or punctuation: `UnitedStates`,
//! "United States of America" and `USA` all find `USA`). A state not
//! found has no code, and the exports that need one list it.
//!
//! Rows are ISO 3166-1 (alpha-3, alpha-2, English short name, other
//! names), then the states ISO 3166-3 keeps for those that no longer
//! exist (the Soviet Union, Yugoslavia…), with their former codes.

use crate::model::{Actor, ActorId, ActorKind, Model};

/// A state's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Iso {
    pub alpha3: &'static str,
    pub alpha2: &'static str,
    /// The table's English name.
    pub name: &'static str,
}

/// `alpha3|alpha2|name|other;names`.
const TABLE: &str = "\
AFG|AF|Afghanistan|
ALB|AL|Albania|
DZA|DZ|Algeria|
AND|AD|Andorra|
AGO|AO|Angola|
ATG|AG|Antigua and Barbuda|
ARG|AR|Argentina|Argentine Republic
ARM|AM|Armenia|
AUS|AU|Australia|Commonwealth of Australia
AUT|AT|Austria|
AZE|AZ|Azerbaijan|
BHS|BS|Bahamas|
BHR|BH|Bahrain|
BGD|BD|Bangladesh|
BRB|BB|Barbados|
BLR|BY|Belarus|
BEL|BE|Belgium|
BLZ|BZ|Belize|
BEN|BJ|Benin|
BTN|BT|Bhutan|
BOL|BO|Bolivia|Plurinational State of Bolivia
BIH|BA|Bosnia and Herzegovina|
BWA|BW|Botswana|
BRA|BR|Brazil|Federative Republic of Brazil
BRN|BN|Brunei Darussalam|Brunei
BGR|BG|Bulgaria|
BFA|BF|Burkina Faso|
BDI|BI|Burundi|
CPV|CV|Cabo Verde|Cape Verde
KHM|KH|Cambodia|
CMR|CM|Cameroon|
CAN|CA|Canada|
CAF|CF|Central African Republic|
TCD|TD|Chad|
CHL|CL|Chile|
CHN|CN|China|People's Republic of China;PRC
COL|CO|Colombia|
COM|KM|Comoros|
COG|CG|Congo|Republic of the Congo
COD|CD|Congo, Democratic Republic of the|Democratic Republic of the Congo;DRC;DRCongo
CRI|CR|Costa Rica|
CIV|CI|Cote d'Ivoire|Ivory Coast
HRV|HR|Croatia|
CUB|CU|Cuba|
CYP|CY|Cyprus|
CZE|CZ|Czechia|Czech Republic
DNK|DK|Denmark|
DJI|DJ|Djibouti|
DMA|DM|Dominica|
DOM|DO|Dominican Republic|
ECU|EC|Ecuador|
EGY|EG|Egypt|Arab Republic of Egypt
SLV|SV|El Salvador|
GNQ|GQ|Equatorial Guinea|
ERI|ER|Eritrea|State of Eritrea
EST|EE|Estonia|
SWZ|SZ|Eswatini|Swaziland
ETH|ET|Ethiopia|Federal Democratic Republic of Ethiopia
FJI|FJ|Fiji|
FIN|FI|Finland|
FRA|FR|France|French Republic
GAB|GA|Gabon|
GMB|GM|Gambia|
GEO|GE|Georgia|
DEU|DE|Germany|Federal Republic of Germany
GHA|GH|Ghana|
GRC|GR|Greece|
GRD|GD|Grenada|
GTM|GT|Guatemala|
GIN|GN|Guinea|
GNB|GW|Guinea-Bissau|
GUY|GY|Guyana|
HTI|HT|Haiti|
VAT|VA|Holy See|Vatican
HND|HN|Honduras|
HUN|HU|Hungary|
ISL|IS|Iceland|
IND|IN|India|Republic of India
IDN|ID|Indonesia|
IRN|IR|Iran|Islamic Republic of Iran
IRQ|IQ|Iraq|
IRL|IE|Ireland|
ISR|IL|Israel|State of Israel
ITA|IT|Italy|
JAM|JM|Jamaica|
JPN|JP|Japan|
JOR|JO|Jordan|
KAZ|KZ|Kazakhstan|
KEN|KE|Kenya|
KIR|KI|Kiribati|
PRK|KP|Korea, Democratic People's Republic of|North Korea;Democratic People's Republic of Korea;DPRK
KOR|KR|Korea, Republic of|South Korea;Republic of Korea;ROK
KWT|KW|Kuwait|
KGZ|KG|Kyrgyzstan|
LAO|LA|Lao People's Democratic Republic|Laos
LVA|LV|Latvia|
LBN|LB|Lebanon|
LSO|LS|Lesotho|
LBR|LR|Liberia|
LBY|LY|Libya|
LIE|LI|Liechtenstein|
LTU|LT|Lithuania|
LUX|LU|Luxembourg|
MDG|MG|Madagascar|
MWI|MW|Malawi|
MYS|MY|Malaysia|
MDV|MV|Maldives|
MLI|ML|Mali|
MLT|MT|Malta|
MHL|MH|Marshall Islands|
MRT|MR|Mauritania|
MUS|MU|Mauritius|
MEX|MX|Mexico|United Mexican States
FSM|FM|Micronesia|
MDA|MD|Moldova|Republic of Moldova
MCO|MC|Monaco|
MNG|MN|Mongolia|
MNE|ME|Montenegro|
MAR|MA|Morocco|
MOZ|MZ|Mozambique|
MMR|MM|Myanmar|Burma
NAM|NA|Namibia|
NRU|NR|Nauru|
NPL|NP|Nepal|
NLD|NL|Netherlands|
NZL|NZ|New Zealand|
NIC|NI|Nicaragua|
NER|NE|Niger|
NGA|NG|Nigeria|
MKD|MK|North Macedonia|Macedonia
NOR|NO|Norway|
OMN|OM|Oman|
PAK|PK|Pakistan|
PLW|PW|Palau|
PSE|PS|Palestine, State of|Palestine
PAN|PA|Panama|Republic of Panama
PNG|PG|Papua New Guinea|
PRY|PY|Paraguay|
PER|PE|Peru|
PHL|PH|Philippines|
POL|PL|Poland|
PRT|PT|Portugal|
QAT|QA|Qatar|
ROU|RO|Romania|
RUS|RU|Russian Federation|Russia
RWA|RW|Rwanda|
KNA|KN|Saint Kitts and Nevis|
LCA|LC|Saint Lucia|
VCT|VC|Saint Vincent and the Grenadines|
WSM|WS|Samoa|
SMR|SM|San Marino|
STP|ST|Sao Tome and Principe|
SAU|SA|Saudi Arabia|Kingdom of Saudi Arabia
SEN|SN|Senegal|
SRB|RS|Serbia|
SYC|SC|Seychelles|
SLE|SL|Sierra Leone|
SGP|SG|Singapore|
SVK|SK|Slovakia|
SVN|SI|Slovenia|
SLB|SB|Solomon Islands|
SOM|SO|Somalia|
ZAF|ZA|South Africa|
SSD|SS|South Sudan|
ESP|ES|Spain|
LKA|LK|Sri Lanka|
SDN|SD|Sudan|
SUR|SR|Suriname|
SWE|SE|Sweden|
CHE|CH|Switzerland|
SYR|SY|Syrian Arab Republic|Syria
TWN|TW|Taiwan|
TJK|TJ|Tajikistan|
TZA|TZ|Tanzania|United Republic of Tanzania
THA|TH|Thailand|
TLS|TL|Timor-Leste|East Timor
TGO|TG|Togo|
TON|TO|Tonga|
TTO|TT|Trinidad and Tobago|
TUN|TN|Tunisia|
TUR|TR|Turkiye|Turkey
TKM|TM|Turkmenistan|
TUV|TV|Tuvalu|
UGA|UG|Uganda|
UKR|UA|Ukraine|
ARE|AE|United Arab Emirates|UAE
GBR|GB|United Kingdom|United Kingdom of Great Britain and Northern Ireland;UK;Britain;Great Britain
USA|US|United States|United States of America;USA;US
URY|UY|Uruguay|
UZB|UZ|Uzbekistan|
VUT|VU|Vanuatu|
VEN|VE|Venezuela|Bolivarian Republic of Venezuela
VNM|VN|Viet Nam|Vietnam
YEM|YE|Yemen|
ZMB|ZM|Zambia|
ZWE|ZW|Zimbabwe|
SUN|SU|USSR|Union of Soviet Socialist Republics;Soviet Union
YUG|YU|Yugoslavia|Socialist Federal Republic of Yugoslavia
CSK|CS|Czechoslovakia|
DDR|DD|German Democratic Republic|East Germany
YMD|YD|Yemen, Democratic|South Yemen
";

/// `People's Republic` → `peoplesrepublic`: what names are compared by.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every row of the table with all the names it answers to.
fn rows() -> impl Iterator<Item = (Iso, impl Iterator<Item = &'static str>)> {
    TABLE.lines().filter(|l| !l.is_empty()).map(|line| {
        let mut cells = line.splitn(4, '|');
        let alpha3 = cells.next().unwrap_or_default();
        let alpha2 = cells.next().unwrap_or_default();
        let name = cells.next().unwrap_or_default();
        let others = cells.next().unwrap_or_default();
        let names = std::iter::once(name)
            .chain(others.split(';').filter(|n| !n.is_empty()))
            .chain([alpha3]);
        (
            Iso {
                alpha3,
                alpha2,
                name,
            },
            names,
        )
    })
}

/// The codes of a name or id, if the table has it.
pub fn lookup(name: &str) -> Option<Iso> {
    let wanted = normalize(name);
    if wanted.is_empty() {
        return None;
    }
    rows().find_map(|(iso, mut names)| names.any(|n| normalize(n) == wanted).then_some(iso))
}

/// A state's codes, by its id, then its name, then its other names.
/// Only states have codes: a bloc, a person or a body has none.
pub fn code_of(actor: &Actor) -> Option<Iso> {
    if actor.kind != ActorKind::State {
        return None;
    }
    // A code the file gives (`iso CHN`) comes first.
    std::iter::once(actor.iso.as_deref().unwrap_or(""))
        .chain([actor.id.as_str()])
        .chain([actor.name.as_str()])
        .chain(actor.aka.iter().map(String::as_str))
        .find_map(lookup)
}

/// The country an actor stands for in event data: a state's own code;
/// for a person or body, that of the first state it is `of` (directly,
/// or through the body it belongs to).
pub fn country_of(model: &Model, actor: ActorId) -> Option<Iso> {
    let mut seen = vec![actor];
    let mut next = vec![actor];
    while let Some(a) = next.pop() {
        let act = model.actor(a);
        if act.kind == ActorKind::State {
            return code_of(act);
        }
        for &parent in &act.of {
            if !seen.contains(&parent) {
                seen.push(parent);
                next.insert(0, parent);
            }
        }
    }
    None
}

/// The number of rows, for the documentation's claim.
pub fn len() -> usize {
    rows().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ids_and_aliases_find_their_codes() {
        assert_eq!(lookup("UnitedStates").unwrap().alpha3, "USA");
        assert_eq!(lookup("United States of America").unwrap().alpha2, "US");
        assert_eq!(lookup("People's Republic of China").unwrap().alpha3, "CHN");
        assert_eq!(lookup("USSR").unwrap().alpha3, "SUN");
        assert_eq!(lookup("Atlantis"), None);
        assert_eq!(lookup(""), None);
    }

    #[test]
    fn every_code_is_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for (iso, _) in rows() {
            assert_eq!(iso.alpha3.len(), 3, "{iso:?}");
            assert_eq!(iso.alpha2.len(), 2, "{iso:?}");
            assert!(seen.insert(iso.alpha3), "{} twice", iso.alpha3);
        }
        assert!(len() > 190);
    }
}
