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

    @Message("Not shown (HTTP {status})")
    String notShown(int status);

    @Message("Back to the start")
    String backToStart();

    @Message("Alert")
    String alert();

    @Message("Place")
    String place();

    @Message("Device")
    String device();

    @Message("Residents")
    String residents();

    @Message("not shown to your role")
    String notShownToRole();

    @Message("Why")
    String why();

    @Message("Rule {rule}, version {version}")
    String rule(String rule, int version);

    @Message("Readings around the alert")
    String readingsAround();

    @Message("No readings of this device around the alert")
    String noReadings();

    @Message("History")
    String history();

    @Message("Task")
    String taskHeading();

    @Message("No task")
    String noTask();

    @Message("Stage due {time}")
    String due(String time);

    @Message("overdue")
    String overdue();

    @Message("Give to")
    String giveTo();

    @Message("Comment")
    String comment();

    @Message("Resolve")
    String resolve();

    @Message("What was done")
    String whatWasDone();

    @Message("Assign to")
    String assignTo();

    @Message("Silence alerts like this")
    String silenceLikeThis();

    @Message("this kind in this home")
    String silenceUnit();

    @Message("this kind from this device")
    String silenceDevice();

    @Message("for (hours)")
    String forHours();

    @Message("Reason")
    String reason();

    @Message("Silence")
    String silence();

    @Message("Resolved by {who}: {note}")
    String resolvedBy(String who, String note);

    @Message("State")
    String state();

    @Message("My tasks")
    String myTasks();

    @Message("No tasks for you now.")
    String noTasks();

    @Message("Accept")
    String accept();

    @Message("Decline")
    String decline();

    @Message("Why you cannot take it")
    String declineReason();

    @Message("Arrived")
    String arrived();

    @Message("Photo")
    String photo();

    @Message("Done: waiting for someone else to check it")
    String waitingForCheck();

    @Message("On duty")
    String onDuty();

    @Message("Off duty")
    String offDuty();

    @Message("No connection: new tasks show when it is back. Steps you take are kept and sent then.")
    String workerOffline();

    @Message("1 step not sent yet: it is kept on this phone and sent when the connection is back.")
    String queuedOne();

    @Message("steps not sent yet: kept on this phone and sent when the connection is back.")
    String queuedMany();

    @Message("Tasks")
    String tasks();

    @Message("No open tasks.")
    String noOpenTasks();

    @Message("Verify")
    String verify();

    @Message("Send back")
    String sendBack();

    @Message("What you checked")
    String checkNote();

    @Message("What is still wrong")
    String whatIsWrong();

    @Message("Dead letters")
    String deadLetters();

    @Message("What the services set aside instead of acting on it, newest first: why, and the message as it was sent.")
    String deadLettersIntro();

    @Message("Nothing set aside. Every message was taken.")
    String noDeadLetters();

    @Message("all reasons")
    String allReasons();

    @Message("When")
    String when();

    @Message("Service")
    String service();

    @Message("Detail")
    String detail();

    @Message("From")
    String source();

    @Message("Payload ({bytes} bytes)")
    String payload(int bytes);

    @Message("Cockpit")
    String cockpit();

    @Message("Area")
    String area();

    @Message("Period")
    String period();

    @Message("last {days} days")
    String lastDays(int days);

    @Message("Alerts opened by kind, per day")
    String alertsByKind();

    @Message("Median minutes to acknowledge and to close an alert")
    String responseTimes();

    @Message("Tasks: on time at each stage")
    String onTimeByStage();

    @Message("Alerts opened")
    String alertsOpened();

    @Message("Min. to acknowledge")
    String minutesToAcknowledge();

    @Message("Min. to close")
    String minutesToClose();

    @Message("Open tasks")
    String openTasks();

    @Message("On time: {stage}")
    String onTimeStage(String stage);

    @Message("Sensor types and rules")
    String catalog();

    @Message("Sensor types")
    String sensorTypes();

    @Message("Rules")
    String rules();

    @Message("new")
    String newEntry();

    @Message("Saved: every service uses it from now on.")
    String savedEverywhere();

    @Message("Not saved. The registry says:")
    String refused();

    @Message("The entry as JSON, in the registry's format (proto/README.md). Saving checks it; each problem is listed here with the field it names.")
    String editorHelp();

    @Message("Save")
    String save();

    @Message("Gateways and devices")
    String devices();

    @Message("Each gateway connects with its own secret: issuing a new one stops the old one at once (a connected gateway is disconnected); a revoked gateway cannot connect.")
    String devicesIntro();

    @Message("Gateway")
    String gateway();

    @Message("MQTT credentials")
    String credentials();

    @Message("Shown this once, kept nowhere: store it on the gateway now.")
    String secretOnce();

    @Message("Issue / rotate")
    String issueOrRotate();

    @Message("Revoke")
    String revoke();

    @Message("Issue a new secret? The gateway's current one stops working at once.")
    String rotateConfirm();

    @Message("Revoke? The gateway is disconnected and cannot connect again until it gets a new secret.")
    String revokeConfirm();

    @Message("Back-test")
    String backTest();

    @Message("What a rule would have raised over the readings recorded for an area, raising nothing. Leave the rule empty to try the rules in force.")
    String backTestIntro();

    @Message("From")
    String from();

    @Message("To")
    String to();

    @Message("Rule (JSON, as in the rule editor)")
    String ruleJson();

    @Message("Run the back-test")
    String runBackTest();

    @Message("{devices} devices, {readings} readings replayed")
    String backTestResult(int devices, int readings);

    @Message("No alerts opened in this period yet (the daily figures are refreshed every few minutes).")
    String noAlertsInPeriod();

    @Message("No task stage ended in this period.")
    String noStagesInPeriod();
}
