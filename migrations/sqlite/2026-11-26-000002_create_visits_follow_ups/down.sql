DROP TABLE follow_ups;
DROP TABLE visits;
