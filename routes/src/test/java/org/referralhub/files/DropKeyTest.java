package org.referralhub.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which dropped files the hub will read, by their key and name. */
class DropKeyTest {

    private static boolean acceptable(String name) {
        return new FileImport.DropKey("cics", "inbound", name).hasAcceptableName();
    }

    @Test
    void ordinaryNamesInAnyLanguageAreTaken() {
        assertThat(acceptable("weekly referrals (Nov 23).csv")).isTrue();
        assertThat(acceptable("références-2026_11.xlsx")).isTrue();
        assertThat(acceptable("إحالات.csv")).isTrue();
    }

    @Test
    void namesWithControlCharactersShellOrSpreadsheetMetacharactersOrExcessLengthAreRefused() {
        assertThat(acceptable("bad\u0001name.csv")).isFalse();
        assertThat(acceptable("line\nbreak.csv")).isFalse();
        assertThat(acceptable("right-to-left\u202Evsc.exe")).isFalse();
        assertThat(acceptable("a|b.csv")).isFalse();
        assertThat(acceptable("what?.csv")).isFalse();
        assertThat(acceptable("c:\\windows.csv")).isFalse();
        assertThat(acceptable("x".repeat(201))).isFalse();
        assertThat(acceptable("..")).isFalse();
        assertThat(acceptable(" ")).isFalse();
    }

    @Test
    void keysThatLeaveTheFolderOrNestDeeperAreNotDropKeys() {
        assertThat(FileImport.DropKey.parse("cics/inbound/../../etc/passwd")).isEmpty();
        assertThat(FileImport.DropKey.parse("cics/inbound/sub/file.csv")).isEmpty();
        assertThat(FileImport.DropKey.parse("cics/inbound/")).isEmpty();
    }
}
