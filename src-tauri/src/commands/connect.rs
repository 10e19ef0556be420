use crate::dto::{ConnectForm, ConnectionCheck, StoreView};
use crate::error::ApiResult;
use crate::state::{block_on, blocking, planner, AppState};
use forestock_api::stores::interactive_retry;
use forestock_connect::stores;
use std::sync::Arc;
use tauri::State;

/// The connected stores (never their secrets).
#[tauri::command]
pub async fn list_stores(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<StoreView>> {
    let st = Arc::clone(&state);
    blocking(move || {
        Ok(st
            .open()?
            .read()
            .stores()?
            .into_iter()
            .map(Into::into)
            .collect())
    })
    .await
}

/// Verify the URL and credentials remotely, put the secret in the keychain and add the store.
#[tauri::command]
pub async fn connect_store(
    state: State<'_, Arc<AppState>>,
    form: ConnectForm,
) -> ApiResult<StoreView> {
    let st = Arc::clone(&state);
    blocking(move || {
        let (mut db, keychain) = (st.open()?, st.keychain()?);
        let req = form.into();
        let rec = block_on(forestock_api::stores::connect(
            &mut db,
            &keychain,
            req,
            &planner::stamp(),
        ))?;
        Ok(rec.into())
    })
    .await
}

/// "Test connection": one cheap authenticated call with the keychain's credentials.
#[tauri::command]
pub async fn test_store(state: State<'_, Arc<AppState>>, id: i64) -> ApiResult<ConnectionCheck> {
    let st = Arc::clone(&state);
    blocking(move || {
        let store = stores::find_store(&st.open()?, &id.to_string())?;
        let creds = stores::credentials_for(&st.keychain()?, &store)?;
        let who = block_on(stores::verify(&store, &creds, interactive_retry()))?;
        Ok(ConnectionCheck {
            remote_name: who.name,
            currency: who.currency,
        })
    })
    .await
}

/// Remove a store and its keychain entry; the data it synced stays.
#[tauri::command]
pub async fn remove_store(state: State<'_, Arc<AppState>>, id: i64) -> ApiResult<StoreView> {
    let st = Arc::clone(&state);
    blocking(move || {
        let (mut db, keychain) = (st.open()?, st.keychain()?);
        Ok(
            stores::remove_store(&mut db, &keychain, id, &planner::stamp())?
                .store
                .into(),
        )
    })
    .await
}

/// Each synced store's "where unattributed demand goes" location and its choices.
#[tauri::command]
pub async fn default_locations(
    state: State<'_, Arc<AppState>>,
) -> ApiResult<Vec<forestock_api::stores::DefaultLocationView>> {
    let st = Arc::clone(&state);
    blocking(move || Ok(forestock_api::stores::default_locations(&st.open()?)?)).await
}

/// Name the location that takes a store's orders the platform gives no location
/// ([`forestock_api::stores::set_default_location`]); audited, the defaulted orders move too.
#[tauri::command]
pub async fn set_default_location(
    state: State<'_, Arc<AppState>>,
    store_id: i64,
    location: String,
) -> ApiResult<forestock_api::stores::Reattributed> {
    let st = Arc::clone(&state);
    blocking(move || {
        let mut db = st.open()?;
        Ok(forestock_api::stores::set_default_location(
            &mut db,
            &store_id.to_string(),
            &location,
            &planner::stamp(),
        )?)
    })
    .await
}
