#!/bin/sh
# The compose file's Mosquitto: on the first start (no logins file in the data volume yet), create the
# dynamic-security plugin's file with one login, the silos' (CMACLIVE_MQTT_USERNAME, default cmaclive-silo, with
# CMACLIVE_MQTT_PASSWORD), as its admin; the silos then add their own role and every device's login themselves.
# Later starts keep the file as the plugin saved it: the variables are read on the first start only.
set -eu
logins=/mosquitto/data/dynamic-security.json
if [ ! -s "$logins" ]; then
  : "${CMACLIVE_MQTT_PASSWORD:?set CMACLIVE_MQTT_PASSWORD, the silos login at the broker}"
  mosquitto_ctrl dynsec init "$logins" "${CMACLIVE_MQTT_USERNAME:-cmaclive-silo}" "$CMACLIVE_MQTT_PASSWORD"
fi

# Mosquitto drops to its own user, which saves every change to the file.
chown mosquitto:mosquitto "$logins"
chmod 600 "$logins"
exec /usr/sbin/mosquitto -c /mosquitto/config/mosquitto.conf
