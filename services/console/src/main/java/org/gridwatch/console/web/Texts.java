package org.gridwatch.console.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every text of the pages, in English here and in Chinese in {@code messages/msg_zh_CN.properties};
 * templates use them as {@code {msg:key}}. The build fails when a template names a text that is not here.
 */
@MessageBundle(value = "msg", locale = "en")
public interface Texts {

    @Message("GridWatch")
    String product();

    @Message("Live board")
    String board();

    @Message("Sign out")
    String signOut();

    @Message("Critical")
    String critical();

    @Message("Warning")
    String warning();

    @Message("Info")
    String info();

    @Message("Overdue tasks")
    String overdueTasks();

    @Message("Gateways offline")
    String offlineGateways();

    @Message("Devices offline")
    String offlineDevices();

    @Message("Areas")
    String areas();

    @Message("Open alerts")
    String openAlerts();

    @Message("No open alerts. All quiet.")
    String noAlerts();

    @Message("Acknowledge")
    String acknowledge();

    @Message("Acknowledged by {who}")
    String acknowledgedBy(String who);

    @Message("Task {id}")
    String task(String id);

    @Message("Live")
    String live();

    @Message("Connection lost, reconnecting... Alerts raised meanwhile will show when it is back.")
    String reconnecting();

    @Message("Not done: {detail}")
    String notDone(String detail);

    @Message("Your roles give you no page here: the console's pages are for operators, dispatchers, supervisors, grid workers, integrators and administrators. Ask an administrator for a role.")
    String noPage();

    @Message("repeated {count} times")
    String repeated(int count);

    @Message("silenced")
    String silenced();

    @Message("Opened {time}")
    String opened(String time);

    @Message("Sound off")
    String soundOff();

    @Message("Sound on")
    String soundOn();

    @Message("Connecting")
    String connecting();

    @Message("Reconnecting")
    String liveReconnecting();
}
