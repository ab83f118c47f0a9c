package io.inloop.history;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CursorTests {

	@Test
	void isWrittenAsPartitionDashOffset() {
		assertThat(new Cursor(2, 1041)).hasToString("2-1041");
	}

	@Test
	void parsesItsWrittenForm() {
		assertThat(Cursor.parse("2-1041")).isEqualTo(new Cursor(2, 1041));
		assertThat(Cursor.parse(new Cursor(11, Long.MAX_VALUE).toString())).isEqualTo(new Cursor(11, Long.MAX_VALUE));
	}

	@Test
	void refusesWhatIsNotACursor() {
		for (String text : new String[] { "", "-", "1-", "-1", "1", "a-1", "1-b", "1--2", "1-2-3" }) {
			assertThatIllegalArgumentException().as(text).isThrownBy(() -> Cursor.parse(text));
		}
	}

}
