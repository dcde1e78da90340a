-- A plugin's own table, migrated by the platform when the plugin starts.
CREATE TABLE it_plugin_note (
    id      VARCHAR(36)  NOT NULL PRIMARY KEY,
    note    VARCHAR(200) NOT NULL
);
