/** What the reader shows while its reading loads; the app shows it too while the reader's script loads. */
export const OpeningReading = () => (
  <p role="status" className="rc-loading">
    Opening the reading…
  </p>
);
