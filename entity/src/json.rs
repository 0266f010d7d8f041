//! `Json<T>`: a column holding a typed value as JSON text. The columns were always text (on
//! PostgreSQL too), so existing databases read unchanged; a row that does not parse as `T` is a
//! read error, not a value quietly defaulted.
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};
use serde::{Serialize, de::DeserializeOwned};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize> From<Json<T>> for Value {
    fn from(json: Json<T>) -> Value {
        // Serialising plain data (structs, vectors, maps with string keys) cannot fail.
        Value::from(serde_json::to_string(&json.0).expect("serialisable column value"))
    }
}

impl<T: DeserializeOwned> TryGetable for Json<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        let text = <String as TryGetable>::try_get_by(res, idx)?;
        serde_json::from_str(&text).map(Json).map_err(|err| {
            TryGetError::DbErr(DbErr::TryIntoErr {
                from: "String",
                into: std::any::type_name::<T>(),
                source: std::sync::Arc::new(err),
            })
        })
    }
}

impl<T: DeserializeOwned> ValueType for Json<T> {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        let text = <String as ValueType>::try_from(value)?;
        serde_json::from_str(&text)
            .map(Json)
            .map_err(|_| ValueTypeErr)
    }

    fn type_name() -> String {
        format!("Json<{}>", std::any::type_name::<T>())
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::Text
    }
}

impl<T> Nullable for Json<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

impl<T> sea_orm::IntoActiveValue<Json<T>> for Json<T>
where
    Json<T>: Into<Value>,
{
    fn into_active_value(self) -> sea_orm::ActiveValue<Json<T>> {
        sea_orm::ActiveValue::Set(self)
    }
}

impl<T> sea_orm::sea_query::postgres_array::NotU8 for Json<T> {}
