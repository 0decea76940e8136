//! How many plans may be made at once: one per prosecutor, and `max_plan_jobs` on the whole
//! server (each holds a thread for about two seconds; without a limit, a script posting the form
//! in a loop would start threads until the server stalls). The rule only reads the list of jobs
//! being made, so it stays the same wherever the jobs are kept.

/// A plan being made, as the limits see it.
#[derive(Debug, Clone, Copy)]
pub struct Running<'a> {
    /// The job's id (its progress page is `/planning/jobs/{id}`).
    pub id: &'a str,
    /// Who started it.
    pub owner: &'a str,
}

/// Why a new plan may not be started now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Busy {
    /// This user's plan is still being made: its job id.
    Yours(String),
    /// The server makes this many plans already, its limit.
    Server(usize),
}

/// Whether `owner` may start a plan while `running` are being made, with at most `max_total`
/// (1 or more) at once on the server.
pub fn admit<'a>(
    running: impl IntoIterator<Item = Running<'a>>,
    owner: &str,
    max_total: usize,
) -> Result<(), Busy> {
    let mut total = 0;
    for job in running {
        if job.owner == owner {
            return Err(Busy::Yours(job.id.to_owned()));
        }
        total += 1;
    }
    if total >= max_total.max(1) {
        return Err(Busy::Server(total));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running(jobs: &[(&'static str, &'static str)]) -> Vec<Running<'static>> {
        jobs.iter()
            .map(|(id, owner)| Running { id, owner })
            .collect()
    }

    #[test]
    fn one_plan_per_user_and_the_servers_limit_in_all() {
        assert_eq!(admit(running(&[]), "u1", 2), Ok(()));
        assert_eq!(
            admit(running(&[("j1", "u1")]), "u1", 2),
            Err(Busy::Yours("j1".into()))
        );
        assert_eq!(admit(running(&[("j1", "u2")]), "u1", 2), Ok(()));
        assert_eq!(
            admit(running(&[("j1", "u2"), ("j2", "u3")]), "u1", 2),
            Err(Busy::Server(2))
        );
        assert_eq!(
            admit(running(&[("j1", "u2"), ("j2", "u1")]), "u1", 2),
            Err(Busy::Yours("j2".into())),
            "the user's own job is named first"
        );
        assert_eq!(admit(running(&[]), "u1", 0), Ok(()), "a limit of 0 means 1");
        assert_eq!(
            admit(running(&[("j1", "u2")]), "u1", 0),
            Err(Busy::Server(1))
        );
    }
}
