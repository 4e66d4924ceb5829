/** A failure to show in place of content: the server's message, announced when it appears. */
export function ProblemMessage({ message }: { message: string }) {
  return (
    <p className="problem" role="alert">
      {message}
    </p>
  );
}
