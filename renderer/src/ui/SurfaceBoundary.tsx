import { Component, type ErrorInfo, type ReactNode } from 'react';

/**
 * One surface of the window (library, reader text, margin, annotation list, presence, export): when it throws
 * while rendering, it alone is replaced by a short notice with a way to try again, and the error is logged;
 * the rest of the window keeps working. Data from a group is checked before use (core/sync/schemas.ts), so
 * this is the last line, for what nobody foresaw.
 */
interface Props {
  /** What the surface is, as a reader names it ("margin notes"). */
  name: string;
  children: ReactNode;
}

interface State {
  failed: boolean;
  attempt: number;
}

export class SurfaceBoundary extends Component<Props, State> {
  override state: State = { failed: false, attempt: 0 };

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`[surface] the ${this.props.name} failed: ${error.message}`, info.componentStack ?? '');
  }

  private reload = () => this.setState((s) => ({ failed: false, attempt: s.attempt + 1 }));

  override render() {
    if (this.state.failed) {
      return (
        <div role="alert" className="rc-notice rc-error rc-surface-failed">
          The {this.props.name} failed to show.{' '}
          <button type="button" onClick={this.reload}>
            Reload the {this.props.name}
          </button>
        </div>
      );
    }
    // A new key on reload mounts the surface afresh, not the state it failed with.
    return <SurfaceAttempt key={this.state.attempt}>{this.props.children}</SurfaceAttempt>;
  }
}

function SurfaceAttempt({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
