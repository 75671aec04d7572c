package dev.tutti;

/**
 * Counts the UTF-8 length of text without encoding it.
 */
final class Utf8 {

	private Utf8() {
	}

	/**
	 * Return the number of bytes the text takes in UTF-8, stopping early with a number
	 * larger than {@code limit} once the count passes it.
	 */
	static int length(CharSequence text, int limit) {
		int chars = text.length();
		int bytes = 0;
		for (int i = 0; i < chars && bytes <= limit; i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

}
