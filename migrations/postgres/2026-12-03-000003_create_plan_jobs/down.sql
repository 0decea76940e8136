DROP TABLE plan_jobs;
