package org.gridwatch.dispatch.api;

import java.util.List;

import org.gridwatch.dispatch.domain.Task;
import org.gridwatch.dispatch.store.TaskActions;

/** The answer to an action: the task after it, the events it caused, and whether it was a retry already done. */
public record TaskView(Task task, List<String> events, boolean replayed) {

    static TaskView of(TaskActions.Outcome outcome) {
        return new TaskView(outcome.task(), outcome.events().stream()
                .map(e -> e.getType().name().substring("TYPE_".length())).toList(), outcome.replayed());
    }
}
