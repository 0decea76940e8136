//! `baqylau user add|passwd|list`. Passwords are read from standard input (one line), never from
//! arguments, which other users of the machine can see.

use std::io::BufRead as _;

use anyhow::Context as _;
use clap::Subcommand;

use super::RoleArg;
use crate::config::Settings;
use crate::db::{self, DbConnection};
use crate::domain::user::Role;
use crate::domain::{MobileGroupId, UserId};

/// Examples in `user --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau user add aigerim --role prosecutor --name \"Aigerim S.\" < password.txt\n  \
    baqylau user add officer25 --role officer --name \"Bolat K.\" --group \"МГ-1 (Костанай, центр)\"\n  \
    baqylau user passwd aigerim\n  \
    baqylau user list";

/// `user` actions.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user.
    Add {
        /// Sign-in name.
        login: String,
        /// The user's role.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Full name.
        #[arg(long)]
        name: String,
        /// The mobile group's name (officers).
        #[arg(long)]
        group: Option<String>,
    },
    /// Set a user's password (and lift a lock).
    Passwd {
        /// Sign-in name.
        login: String,
    },
    /// List users.
    List,
}

/// Runs a `user` action.
pub fn run(settings: &Settings, action: UserAction) -> anyhow::Result<()> {
    let pool = super::open_database(settings)?;
    let mut conn = pool.get()?;
    match action {
        UserAction::Add {
            login,
            role,
            name,
            group,
        } => add(&mut conn, &login, role.into(), name, group.as_deref()),
        UserAction::Passwd { login } => {
            let hash = crate::accounts::hash_password(&read_password()?)?;
            let changed = db::users::update_password(&mut conn, &login, &hash)?;
            anyhow::ensure!(changed == 1, "no user {login:?}");
            println!("password of {login} changed");
            Ok(())
        }
        UserAction::List => {
            for u in db::users::list_users(&mut conn)? {
                let state = if u.is_active { "active" } else { "disabled" };
                println!(
                    "{:<16} {:<14} {:<9} {}",
                    u.login, u.role, state, u.full_name
                );
            }
            Ok(())
        }
    }
}

/// `user add`: refuses a taken login and an officer without a group before asking for the
/// password.
fn add(
    conn: &mut DbConnection,
    login: &str,
    role: Role,
    full_name: String,
    group: Option<&str>,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        db::users::find_by_login(conn, login)?.is_none(),
        "a user {login:?} exists already"
    );
    let group_id = group
        .map(|name| find_group_by_name(conn, name))
        .transpose()?;
    anyhow::ensure!(
        role != Role::Officer || group_id.is_some(),
        "an officer needs --group"
    );
    let hash = crate::accounts::hash_password(&read_password()?)?;
    let now = db::now_utc();
    let row = db::users::NewUserRow {
        id: UserId::new().to_string(),
        login: login.to_owned(),
        full_name,
        role: role.as_str().to_owned(),
        password_hash: hash,
        is_active: true,
        created_at: now,
        updated_at: now,
    };
    db::write_transaction(conn, |c| db::users::insert(c, &row, group_id.as_ref()))?;
    println!("user {login} added as {role}");
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    eprintln!("password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    crate::accounts::validate_new_password(&password)
        .map_err(|key| anyhow::anyhow!("{} ({key})", crate::i18n::Lang::En.t(key)))?;
    Ok(password)
}

fn find_group_by_name(conn: &mut DbConnection, name: &str) -> anyhow::Result<MobileGroupId> {
    let groups = db::mobile_groups::list_mobile_groups(conn)?;
    groups
        .into_iter()
        .find(|g| g.name == name)
        .map(|g| g.id)
        .with_context(|| format!("no mobile group named {name:?}"))
}
