-- The training Sidecar has a database of its own beside live.
CREATE DATABASE isikhnas_training OWNER isikhnas;
