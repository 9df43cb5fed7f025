//! Which fields the v2 entity types (`BUILDING`, `FLOOR`, `SITE`, `ZONE`) have on this server.
//!
//! Only the columns `shared/api.md` §1.3 lists are certain, and a GraphQL query that names an
//! absent field fails as a whole. So entity queries select only fields this server reported
//! by introspection (`__type(name)`), all four types in one request. A server that refuses
//! introspection gets the contract's lists; a type introspection does not know is treated as
//! absent (its table is not queried). Learned once per connection (see
//! [`super::schema::SchemaCache`]).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::graphql;
use occudesk_auth::Session;
use occudesk_net::{Error, Result};

/// The v2 entity types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityType {
    Building,
    Floor,
    Site,
    Zone,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::Building,
        EntityType::Floor,
        EntityType::Site,
        EntityType::Zone,
    ];

    /// The type name, which is also the root field.
    pub fn name(self) -> &'static str {
        match self {
            EntityType::Building => "BUILDING",
            EntityType::Floor => "FLOOR",
            EntityType::Site => "SITE",
            EntityType::Zone => "ZONE",
        }
    }

    /// The columns `shared/api.md` §1.3 lists: all a server without introspection is
    /// assumed to have.
    pub fn contract(self) -> &'static [&'static str] {
        match self {
            EntityType::Building => &["ID", "NAME", "TIME_ZONE"],
            EntityType::Floor => &[
                "ID",
                "BUILDING_ID",
                "NAME",
                "FLOOR_CODE",
                "LEVEL",
                "TIME_ZONE",
            ],
            EntityType::Site => &[
                "ID",
                "BUILDING_ID",
                "FLOOR_ID",
                "SITE_CODE",
                "TIME_ZONE",
                "LATITUDE",
                "LONGITUDE",
                "ALTITUDE",
            ],
            EntityType::Zone => &[
                "ID",
                "SITE_ID",
                "BUILDING_ID",
                "NAME",
                "ZONE_TYPE",
                "CAPACITY",
            ],
        }
    }

    /// Fields without which rows of this type are of no use: the id, and (below buildings)
    /// the building it belongs to, which entity queries filter on.
    fn required(self) -> &'static [&'static str] {
        match self {
            EntityType::Building => &["ID"],
            _ => &["ID", "BUILDING_ID"],
        }
    }
}

/// The fields of each entity type; a type that is missing is absent on this server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityFields {
    by_type: BTreeMap<EntityType, Vec<String>>,
}

impl EntityFields {
    /// What a server that keeps the contract has.
    pub fn contract() -> EntityFields {
        EntityFields {
            by_type: EntityType::ALL
                .into_iter()
                .map(|t| (t, t.contract().iter().map(|f| (*f).to_owned()).collect()))
                .collect(),
        }
    }

    /// Of the fields `wanted`, those this server has (in the order wanted); `None` when the
    /// type is absent or lacks a field its rows cannot do without.
    pub fn select(&self, ty: EntityType, wanted: &[&'static str]) -> Option<Vec<&'static str>> {
        let have = self.by_type.get(&ty)?;
        let has = |f: &str| have.iter().any(|h| h == f);
        if !ty.required().iter().all(|f| has(f)) {
            return None;
        }
        Some(wanted.iter().copied().filter(|f| has(f)).collect())
    }

    /// Whether the type has `field`.
    #[cfg(test)]
    fn has(&self, ty: EntityType, field: &str) -> bool {
        self.by_type
            .get(&ty)
            .is_some_and(|fields| fields.iter().any(|f| f == field))
    }
}

const INTROSPECT: &str = "query EntityFields {
  BUILDING: __type(name: \"BUILDING\") { fields { name } }
  FLOOR: __type(name: \"FLOOR\") { fields { name } }
  SITE: __type(name: \"SITE\") { fields { name } }
  ZONE: __type(name: \"ZONE\") { fields { name } }
}";

/// Asks the server which fields its entity types have; the contract's lists when it refuses
/// introspection.
pub async fn learn(session: &Session) -> Result<EntityFields> {
    match graphql::execute(session, "EntityFields", INTROSPECT, json!({})).await {
        Ok(data) => Ok(from_answer(&data)),
        Err(Error::GraphqlError { .. }) => Ok(EntityFields::contract()),
        Err(e) => Err(e),
    }
}

fn from_answer(data: &serde_json::Map<String, Value>) -> EntityFields {
    let mut by_type = BTreeMap::new();
    for ty in EntityType::ALL {
        let Some(fields) = data
            .get(ty.name())
            .and_then(|t| t.get("fields"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        let names = fields
            .iter()
            .filter_map(|f| f.get("name").and_then(Value::as_str))
            .filter(|n| graphql::is_identifier(n))
            .map(str::to_owned)
            .collect();
        by_type.insert(ty, names);
    }
    // Introspection that knows none of the four (type names that differ from the root fields,
    // or a role that may not see them) says nothing about the tables: assume the contract's.
    if by_type.is_empty() {
        return EntityFields::contract();
    }
    EntityFields { by_type }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(zone_fields: &[&str]) -> serde_json::Map<String, Value> {
        let fields = |names: &[&str]| json!({"fields": names.iter().map(|n| json!({"name": n})).collect::<Vec<_>>()});
        let mut data = serde_json::Map::new();
        data.insert("BUILDING".into(), fields(&["ID", "NAME"]));
        data.insert("FLOOR".into(), Value::Null);
        data.insert("SITE".into(), fields(EntityType::Site.contract()));
        data.insert("ZONE".into(), fields(zone_fields));
        data
    }

    #[test]
    fn only_fields_the_server_has_are_selected() {
        let f = from_answer(&answer(&["ID", "BUILDING_ID", "SITE_ID", "CAPACITY"]));
        assert_eq!(
            f.select(
                EntityType::Zone,
                &["ID", "FLOOR_ID", "SITE_ID", "NAME", "CAPACITY"]
            ),
            Some(vec!["ID", "SITE_ID", "CAPACITY"])
        );
        assert_eq!(
            f.select(EntityType::Building, &["ID", "NAME", "TIME_ZONE"]),
            Some(vec!["ID", "NAME"])
        );
        assert_eq!(f.select(EntityType::Floor, &["ID"]), None, "absent type");
        assert!(f.has(EntityType::Site, "FLOOR_ID"));
        assert!(!f.has(EntityType::Zone, "FLOOR_ID"));
    }

    #[test]
    fn a_type_without_its_keys_is_not_queried() {
        let f = from_answer(&answer(&["ID", "NAME"]));
        assert_eq!(f.select(EntityType::Zone, &["ID", "NAME"]), None);
    }

    #[test]
    fn introspection_that_knows_no_entity_type_means_the_contract() {
        let mut data = serde_json::Map::new();
        for ty in EntityType::ALL {
            data.insert(ty.name().into(), Value::Null);
        }
        assert_eq!(from_answer(&data), EntityFields::contract());
    }

    #[test]
    fn the_contract_has_no_zone_floor() {
        let f = EntityFields::contract();
        assert!(!f.has(EntityType::Zone, "FLOOR_ID"));
        assert!(f.has(EntityType::Site, "FLOOR_ID"));
        assert!(f.has(EntityType::Zone, "CAPACITY"));
    }
}
