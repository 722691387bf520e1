package org.gridwatch.detection.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.gridwatch.simulator.corpus.CorpusGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small labelled corpus (20 residents, 2 elevators, 2 days, one incident of each kind) replayed
 * through the detection topology with the shipped rules: every incident caught within its rule's
 * time plus 5 s, and no false alarm. {@code make eval} runs the full-size corpus.
 */
class AccuracyTest {

    @Test
    void everyInjectedIncidentIsCaughtInTimeAndNormalDaysRaiseNothing(@TempDir Path corpus) throws Exception {
        CorpusGenerator.generate(new CorpusGenerator.Options(20, 2, 2, 1, 11, corpus));

        Evaluation.Result result = Evaluation.run(corpus, Path.of("../registry/src/main/resources"));

        String table = Evaluation.table(result);
        assertThat(result.incidents()).as(table).isGreaterThanOrEqualTo(25);
        assertThat(result.caught()).as(table).isEqualTo(result.incidents());
        assertThat(result.rules()).as(table).allSatisfy(rule -> assertThat(rule.meetsGoal()).isTrue());
        assertThat(result.falseAlarms()).as(table).isZero();
    }
}
