/** Whatever throws while rendering, the page shows what happened and a way out instead of going blank. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | undefined;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The browser console is where a person reporting the problem can copy it from.
    console.error('aws-copilot UI failed', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="page-error" role="alert">
        <h1>Something went wrong on this page</h1>
        <p>{error.message}</p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
